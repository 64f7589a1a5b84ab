import {
  Button,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  Modal,
  ModalVariant,
  TextArea,
  TextInput,
} from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type Api } from "../common/api";
import type { Grant } from "../common/model";
import { FieldError } from "./RequestForm";

type Props = { api: Api; grant: Grant; maxDuration?: number; onClose: (changed: boolean) => void };

/** "Extend": `POST /requests/{id}/extend {durationMinutes, reason, ticket?}`; approved like a new request. */
export const ExtendModal = ({ api, grant, maxDuration, onClose }: Props) => {
  const { t } = useTranslation();
  const [duration, setDuration] = useState("60");
  const [reason, setReason] = useState("");
  const [ticket, setTicket] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const minutes = Number(duration);
    const e: Record<string, string> = {};
    if (!Number.isFinite(minutes) || minutes <= 0) e.durationMinutes = t("jitErrorDurationRequired");
    else if (maxDuration && minutes > maxDuration) e.durationMinutes = t("jitErrorDurationMax", { max: maxDuration });
    if (!reason.trim()) e.reason = t("jitErrorReasonRequired");
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    try {
      await api.post(`requests/${encodeURIComponent(grant.requestId)}/extend`, {
        durationMinutes: minutes,
        reason: reason.trim(),
        ...(ticket.trim() ? { ticket: ticket.trim() } : {}),
      });
      onClose(true);
    } catch (error) {
      const field = error instanceof ApiError && error.field ? error.field : "form";
      const known = ["durationMinutes", "reason", "ticket"].includes(field);
      setErrors({ [known ? field : "form"]: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      variant={ModalVariant.small}
      title={t("jitExtendTitle", { datasource: grant.datasource })}
      isOpen
      onClose={() => onClose(false)}
      data-testid="jit-extend-modal"
      actions={[
        <Button key="ok" variant="primary" onClick={submit} isLoading={busy} isDisabled={busy} data-testid="jit-extend-submit">
          {t("jitRequestExtension")}
        </Button>,
        <Button key="cancel" variant="link" onClick={() => onClose(false)}>
          {t("jitClose")}
        </Button>,
      ]}
    >
      <Form onSubmit={(e) => e.preventDefault()}>
        <FormGroup label={t("jitExtendBy")} fieldId="jit-extend-duration" isRequired>
          <TextInput
            id="jit-extend-duration"
            type="number"
            min={1}
            max={maxDuration}
            value={duration}
            onChange={(_e, v) => setDuration(v)}
            validated={errors.durationMinutes ? "error" : "default"}
          />
          {!errors.durationMinutes && maxDuration && (
            <FormHelperText>
              <HelperText>
                <HelperTextItem>{t("jitDurationHelp", { max: maxDuration })}</HelperTextItem>
              </HelperText>
            </FormHelperText>
          )}
          <FieldError id="extend-durationMinutes" message={errors.durationMinutes} />
        </FormGroup>
        <FormGroup label={t("jitReason")} fieldId="jit-extend-reason" isRequired>
          <TextArea
            id="jit-extend-reason"
            value={reason}
            onChange={(_e, v) => setReason(v)}
            validated={errors.reason ? "error" : "default"}
          />
          <FieldError id="extend-reason" message={errors.reason} />
        </FormGroup>
        <FormGroup label={t("jitTicket")} fieldId="jit-extend-ticket">
          <TextInput
            id="jit-extend-ticket"
            value={ticket}
            onChange={(_e, v) => setTicket(v)}
            validated={errors.ticket ? "error" : "default"}
          />
          {!errors.ticket && (
            <FormHelperText>
              <HelperText>
                <HelperTextItem>{t("jitExtendTicketHelp")}</HelperTextItem>
              </HelperText>
            </FormHelperText>
          )}
          <FieldError id="extend-ticket" message={errors.ticket} />
        </FormGroup>
        <FieldError id="extend-form" message={errors.form} />
      </Form>
    </Modal>
  );
};

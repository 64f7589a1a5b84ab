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
} from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage, type Api } from "../common/api";
import type { AccessRequest } from "../common/model";

export type Decision = "approve" | "deny";

type Props = { api: Api; request: AccessRequest; decision: Decision; onClose: (decided: boolean) => void };

/** Approve (comment optional) or deny (comment required) the current stage of a request. */
export const DecideModal = ({ api, request, decision, onClose }: Props) => {
  const { t } = useTranslation();
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const deny = decision === "deny";

  const submit = async () => {
    if (deny && !comment.trim()) {
      setError(t("jitCommentRequired"));
      return;
    }
    setBusy(true);
    try {
      await api.post(`requests/${encodeURIComponent(request.id)}/${decision}`, comment.trim() ? { comment: comment.trim() } : {});
      onClose(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      variant={ModalVariant.small}
      title={t(deny ? "jitDenyTitle" : "jitApproveTitle", { user: request.requester?.username, stage: request.currentStage ?? "" })}
      isOpen
      onClose={() => onClose(false)}
      data-testid="jit-decide-modal"
      actions={[
        <Button
          key="confirm"
          variant={deny ? "danger" : "primary"}
          onClick={submit}
          isLoading={busy}
          isDisabled={busy}
          data-testid="jit-decide-confirm"
        >
          {t(deny ? "jitDeny" : "jitApprove")}
        </Button>,
        <Button key="cancel" variant="link" onClick={() => onClose(false)}>
          {t("cancel")}
        </Button>,
      ]}
    >
      <Form onSubmit={(e) => e.preventDefault()}>
        <FormGroup label={t("jitComment")} fieldId="jit-comment" isRequired={deny}>
          <TextArea
            id="jit-comment"
            value={comment}
            onChange={(_e, v) => setComment(v)}
            validated={error ? "error" : "default"}
            resizeOrientation="vertical"
          />
          {error && (
            <FormHelperText>
              <HelperText>
                <HelperTextItem variant="error" data-testid="jit-error-comment">
                  {error}
                </HelperTextItem>
              </HelperText>
            </FormHelperText>
          )}
        </FormGroup>
      </Form>
    </Modal>
  );
};

import {
  ActionGroup,
  Button,
  Checkbox,
  EmptyState,
  EmptyStateBody,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Label,
  NumberInput,
  ProgressStep,
  ProgressStepper,
  TextArea,
  TextInput,
  Title,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../common/api";
import { LABEL_COLORS } from "../common/format";
import type { AccessRequest } from "../common/model";
import { byTable, combinedPolicy, type CatalogDatasource } from "./catalog";
import type { Api } from "../common/api";

type Props = {
  api: Api;
  catalog: CatalogDatasource[];
  onCreated: (request: AccessRequest) => void;
};

type Errors = Partial<Record<"datasource" | "columns" | "reason" | "ticket" | "durationMinutes" | "form", string>>;

const FIELDS = ["datasource", "columns", "reason", "ticket", "durationMinutes"] as const;

/** An error message under a field, from the API's `{field, message}` or from the form's own checks. */
export const FieldError = ({ id, message }: { id: string; message?: string }) =>
  message ? (
    <FormHelperText>
      <HelperText>
        <HelperTextItem variant="error" id={`jit-error-${id}`} data-testid={`jit-error-${id}`}>
          {message}
        </HelperTextItem>
      </HelperText>
    </FormHelperText>
  ) : null;

export const RequestForm = ({ api, catalog, onCreated }: Props) => {
  const { t } = useTranslation();
  const [datasourceId, setDatasourceId] = useState(catalog[0]?.id ?? "");
  const [selected, setSelected] = useState<string[]>([]);
  const [reason, setReason] = useState("");
  const [ticket, setTicket] = useState("");
  const [duration, setDuration] = useState<number | "">("");
  const [breakGlass, setBreakGlass] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const datasource = catalog.find((d) => d.id === datasourceId);
  const selectedColumns = useMemo(
    () => (datasource?.columns ?? []).filter((c) => selected.includes(c.fqn)),
    [datasource, selected],
  );
  const combined = useMemo(() => combinedPolicy(selectedColumns), [selectedColumns]);
  const glass = breakGlass && combined.breakGlassMax > 0;
  const policy = useMemo(
    () => (glass ? { ...combined, maxDuration: combined.breakGlassMax, stages: [] } : combined),
    [combined, glass],
  );

  useEffect(() => {
    if (duration === "" && policy.defaultDuration) setDuration(policy.defaultDuration);
  }, [policy.defaultDuration, duration]);

  const toggle = (name: string, checked: boolean) =>
    setSelected((s) => (checked ? [...s, name] : s.filter((x) => x !== name)));

  const clientErrors = (): Errors => {
    const e: Errors = {};
    if (!datasourceId) e.datasource = t("jitErrorDatasource");
    if (selected.length === 0) e.columns = t("jitErrorColumns");
    if (!reason.trim()) e.reason = t("jitErrorReasonRequired");
    else if (policy.reasonMinLength && reason.trim().length < policy.reasonMinLength)
      e.reason = t("jitErrorReasonLength", { min: policy.reasonMinLength });
    if (duration === "" || duration <= 0) e.durationMinutes = t("jitErrorDurationRequired");
    else if (policy.maxDuration && duration > policy.maxDuration)
      e.durationMinutes = t("jitErrorDurationMax", { max: policy.maxDuration });
    return e;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const e = clientErrors();
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    try {
      const created = await api.post<AccessRequest>("requests", {
        datasource: datasourceId,
        columns: selected,
        reason: reason.trim(),
        ticket: ticket.trim() || undefined,
        durationMinutes: duration,
        ...(glass ? { breakGlass: true } : {}),
      });
      setSelected([]);
      setReason("");
      setTicket("");
      setDuration("");
      setBreakGlass(false);
      onCreated(created);
    } catch (error) {
      if (error instanceof ApiError && error.field && (FIELDS as readonly string[]).includes(error.field)) {
        setErrors({ [error.field]: error.message });
      } else if (error instanceof ApiError && error.field) {
        // e.g. "columns[0]" or an unknown field name: keep the message visible next to the closest field
        const field = FIELDS.find((f) => error.field!.startsWith(f)) ?? "form";
        setErrors({ [field]: error.message });
      } else {
        setErrors({ form: error instanceof Error ? error.message : String(error) });
      }
    } finally {
      setBusy(false);
    }
  };

  if (catalog.length === 0) {
    return (
      <EmptyState variant="sm" data-testid="jit-catalog-empty">
        <EmptyStateBody>{t("jitCatalogEmpty")}</EmptyStateBody>
      </EmptyState>
    );
  }

  return (
    <Form onSubmit={submit} noValidate data-testid="jit-request-form">
      <FormGroup label={t("jitDatasource")} fieldId="jit-datasource" isRequired>
        <FormSelect
          id="jit-datasource"
          value={datasourceId}
          validated={errors.datasource ? "error" : "default"}
          onChange={(_e, value) => {
            setDatasourceId(value);
            setSelected([]);
          }}
        >
          {catalog.map((d) => (
            <FormSelectOption key={d.id} value={d.id} label={d.name ? `${d.name} (${d.id})` : d.id} />
          ))}
        </FormSelect>
        {datasource?.description && (
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{datasource.description}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        )}
        <FieldError id="datasource" message={errors.datasource} />
      </FormGroup>

      <FormGroup label={t("jitColumns")} fieldId="jit-columns" isRequired role="group">
        {(datasource?.columns.length ?? 0) === 0 && <p>{t("jitNoColumns")}</p>}
        {byTable(datasource?.columns ?? []).map(([table, columns]) => (
          <div key={table} className="pf-v5-u-mb-md" data-testid={`jit-table-${table}`}>
            <Title headingLevel="h4" className="pf-v5-u-mb-sm">
              {table}
            </Title>
            <Table variant="compact" aria-label={table}>
              <Thead>
                <Tr>
                  <Th screenReaderText={t("jitSelect")} />
                  <Th>{t("jitColumn")}</Th>
                  <Th>{t("jitLabel")}</Th>
                  <Th>{t("jitDescription")}</Th>
                  <Th>{t("jitPolicy")}</Th>
                </Tr>
              </Thead>
              <Tbody>
                {columns.map((c) => (
                  <Tr key={c.fqn} data-testid={`jit-column-${c.fqn}`}>
                    <Td>
                      <Checkbox
                        id={`jit-col-${c.fqn}`}
                        aria-label={c.fqn}
                        isChecked={selected.includes(c.fqn)}
                        onChange={(_e, checked) => toggle(c.fqn, checked)}
                      />
                    </Td>
                    <Td dataLabel={t("jitColumn")}>
                      <code>{c.column}</code>
                    </Td>
                    <Td dataLabel={t("jitLabel")}>
                      {c.label && <Label color={LABEL_COLORS[c.label] ?? "grey"}>{c.label}</Label>}
                    </Td>
                    <Td dataLabel={t("jitDescription")}>{c.description}</Td>
                    <Td dataLabel={t("jitPolicy")}>
                      {c.policyInfo?.name ?? (typeof c.policy === "string" ? c.policy : "")}
                      {c.policyInfo?.maxDurationMinutes
                        ? ` · ${t("jitUpToMinutes", { max: c.policyInfo.maxDurationMinutes })}`
                        : ""}
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </div>
        ))}
        <FieldError id="columns" message={errors.columns} />
      </FormGroup>

      {policy.stages.length > 0 && (
        <FormGroup label={t("jitApprovalStages")} fieldId="jit-stages">
          <ProgressStepper aria-label={t("jitApprovalStages")} data-testid="jit-stages">
            {policy.stages.map((s, i) => (
              <ProgressStep
                key={`${s.name}-${i}`}
                id={`jit-stage-${i}`}
                titleId={`jit-stage-${i}-title`}
                variant="pending"
                description={[s.approverGroup ?? s.approverRole, s.minApprovals && s.minApprovals > 1 ? t("jitMinApprovals", { count: s.minApprovals }) : ""]
                  .filter(Boolean)
                  .join(" · ")}
              >
                {s.name}
              </ProgressStep>
            ))}
          </ProgressStepper>
        </FormGroup>
      )}

      <FormGroup label={t("jitReason")} fieldId="jit-reason" isRequired>
        <TextArea
          id="jit-reason"
          value={reason}
          onChange={(_e, v) => setReason(v)}
          validated={errors.reason ? "error" : "default"}
          aria-describedby={errors.reason ? "jit-error-reason" : undefined}
          resizeOrientation="vertical"
        />
        {!errors.reason && policy.reasonMinLength > 0 && (
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("jitReasonHelp", { min: policy.reasonMinLength })}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        )}
        <FieldError id="reason" message={errors.reason} />
      </FormGroup>

      <FormGroup label={t("jitTicket")} fieldId="jit-ticket">
        <TextInput
          id="jit-ticket"
          value={ticket}
          onChange={(_e, v) => setTicket(v)}
          validated={errors.ticket ? "error" : "default"}
        />
        {!errors.ticket && policy.ticketPatterns.length > 0 && (
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("jitTicketHelp", { pattern: policy.ticketPatterns.join(", ") })}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        )}
        <FieldError id="ticket" message={errors.ticket} />
      </FormGroup>

      <FormGroup label={t("jitDuration")} fieldId="jit-duration" isRequired>
        <NumberInput
          inputName="jit-duration"
          id="jit-duration"
          inputProps={{ id: "jit-duration-input" }}
          value={duration}
          min={1}
          max={policy.maxDuration}
          unit={t("jitMinutes")}
          validated={errors.durationMinutes ? "error" : "default"}
          onMinus={() => setDuration((d) => Math.max(1, (d === "" ? 0 : d) - 15))}
          onPlus={() =>
            setDuration((d) => {
              const next = (d === "" ? 0 : d) + 15;
              return policy.maxDuration ? Math.min(policy.maxDuration, next) : next;
            })
          }
          onChange={(e) => {
            const v = (e.target as HTMLInputElement).value;
            setDuration(v === "" ? "" : Number(v));
          }}
          minusBtnAriaLabel={t("jitLess")}
          plusBtnAriaLabel={t("jitMore")}
        />
        {!errors.durationMinutes && policy.maxDuration && (
          <FormHelperText>
            <HelperText>
              <HelperTextItem data-testid="jit-duration-max">{t("jitDurationHelp", { max: policy.maxDuration })}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        )}
        <FieldError id="durationMinutes" message={errors.durationMinutes} />
      </FormGroup>

      {combined.breakGlassMax > 0 && (
        <FormGroup fieldId="jit-break-glass" label={t("jitBreakGlass")}>
          <Checkbox
            id="jit-break-glass"
            label={t("jitBreakGlassLabel", { max: combined.breakGlassMax })}
            description={t("jitBreakGlassDescription")}
            isChecked={breakGlass}
            onChange={(_e, checked) => setBreakGlass(checked)}
          />
        </FormGroup>
      )}

      {errors.form && <FieldError id="form" message={errors.form} />}

      <ActionGroup>
        <Button type="submit" variant="primary" isLoading={busy} isDisabled={busy} data-testid="jit-submit">
          {t("jitSubmitRequest")}
        </Button>
      </ActionGroup>
    </Form>
  );
};

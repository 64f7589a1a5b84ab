import { ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  Alert,
  AlertVariant,
  Button,
  EmptyState,
  EmptyStateHeader,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  Grid,
  GridItem,
  HelperText,
  HelperTextItem,
  Label,
  Modal,
  ModalVariant,
  PageSection,
  Spinner,
  Tab,
  Tabs,
  TabTitleText,
  TextArea,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { MinusCircleIcon, PlusCircleIcon } from "@patternfly/react-icons";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, errorMessage, type Api } from "../../common/api";
import { LABEL_COLORS } from "../../common/format";
import type { Column, Datasource, Policy, Stage } from "../../common/model";
import { useJitAccess } from "../access";
import { useJitAlerts } from "../alerts";
import { useAdminJitApi } from "../useAdminJitApi";
import { WebhookSettings } from "./WebhookSettings";

type Kind = "datasources" | "columns" | "policies";
type Entity = { id: string } & Record<string, unknown>;

type Field = {
  name: string;
  label: string;
  type?: "text" | "textarea" | "number" | "select" | "stages";
  required?: boolean;
  options?: { value: string; label: string }[];
  help?: string;
  /** Only on create (ids are stable). */
  createOnly?: boolean;
};

const LABELS = ["PII", "PCI", "PHI", "SECRET"];

/**
 * The catalog: datasources, sensitive columns and approval policies. Changed by catalog managers, read by
 * holders of view-realm and approvers; the webhook tab for holders of manage-realm (what `.../me` answers).
 */
export default function CatalogPage() {
  const { t } = useTranslation();
  const apis = useAdminJitApi();
  const access = useJitAccess();
  const [tab, setTab] = useState<Kind | "webhook">("datasources");
  const [data, setData] = useState<{ datasources: Datasource[]; columns: Column[]; policies: Policy[] }>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    setError(undefined);
    try {
      const [datasources, columns, policies] = await Promise.all([
        apis.admin.get<Datasource[]>("datasources"),
        apis.admin.get<Column[]>("columns").catch(soft),
        apis.admin.get<Policy[]>("policies").catch(soft),
      ]);
      setData({ datasources: datasources ?? [], columns: columns ?? [], policies: policies ?? [] });
    } catch (e) {
      setData({ datasources: [], columns: [], policies: [] });
      setError(errorMessage(e));
    }
  }, [apis]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!data) return <Spinner />;

  const policyOptions = data.policies.map((p) => ({ value: p.id, label: p.name ?? p.id }));
  const datasourceOptions = data.datasources.map((d) => ({ value: d.id, label: d.name ?? d.id }));

  const fields: Record<Kind, Field[]> = {
    datasources: [
      { name: "id", label: t("jitId"), required: true, createOnly: true, help: t("jitDatasourceIdHelp") },
      { name: "name", label: t("jitName"), required: true },
      { name: "description", label: t("jitDescription"), type: "textarea" },
    ],
    columns: [
      { name: "datasource", label: t("jitDatasource"), type: "select", required: true, options: datasourceOptions },
      { name: "schema", label: t("jitSchema"), required: true },
      { name: "table", label: t("jitTable"), required: true },
      { name: "column", label: t("jitColumn"), required: true },
      { name: "label", label: t("jitLabel"), required: true, help: t("jitLabelHelp") },
      { name: "description", label: t("jitDescription"), type: "textarea" },
      { name: "policy", label: t("jitPolicy"), type: "select", required: true, options: policyOptions },
    ],
    policies: [
      { name: "name", label: t("jitName"), required: true },
      { name: "stages", label: t("jitStages"), type: "stages", required: true },
      { name: "maxDurationMinutes", label: t("jitMaxDuration"), type: "number", required: true },
      { name: "defaultDurationMinutes", label: t("jitDefaultDuration"), type: "number" },
      { name: "pendingTimeoutMinutes", label: t("jitPendingTimeout"), type: "number" },
      { name: "escalateAfterMinutes", label: t("jitEscalateAfter"), type: "number" },
      { name: "escalationGroup", label: t("jitEscalationGroup"), help: t("jitGroupPathHelp") },
      { name: "reasonMinLength", label: t("jitReasonMinLength"), type: "number" },
      { name: "ticketPattern", label: t("jitTicketPattern"), help: t("jitTicketPatternHelp") },
      { name: "breakGlassMaxMinutes", label: t("jitBreakGlassMax"), type: "number", help: t("jitBreakGlassHelp") },
    ],
  };

  const policyName = (id?: unknown) => data.policies.find((p) => p.id === id)?.name ?? String(id ?? "");

  const columnsOf: Record<Kind, [string, (e: Entity) => ReactNode][]> = {
    datasources: [
      [t("jitId"), (e) => <code>{e.id}</code>],
      [t("jitName"), (e) => String(e.name ?? "")],
      [t("jitDescription"), (e) => String(e.description ?? "")],
    ],
    columns: [
      [t("jitDatasource"), (e) => String(e.datasource)],
      [t("jitColumn"), (e) => <code>{`${e.schema}.${e.table}.${e.column}`}</code>],
      [t("jitLabel"), (e) => (e.label ? <Label color={LABEL_COLORS[String(e.label)] ?? "grey"}>{String(e.label)}</Label> : null)],
      [t("jitDescription"), (e) => String(e.description ?? "")],
      [t("jitPolicy"), (e) => policyName(typeof e.policy === "object" && e.policy ? (e.policy as Policy).id : e.policy)],
    ],
    policies: [
      [t("jitName"), (e) => String(e.name ?? e.id)],
      [t("jitStages"), (e) => ((e.stages as Stage[]) ?? []).map((s) => `${s.name} (${s.approverGroup ?? s.approverRole ?? ""}${s.approverRemoved ? ` ${t("jitRemoved")}` : ""}${s.minApprovals && s.minApprovals > 1 ? ` ×${s.minApprovals}` : ""})`).join(" → ")],
      [t("jitMaxDuration"), (e) => t("jitMinutesValue", { count: Number(e.maxDurationMinutes ?? 0) })],
      [t("jitBreakGlassMax"), (e) => (e.breakGlassMaxMinutes ? t("jitMinutesValue", { count: Number(e.breakGlassMaxMinutes) }) : t("jitNotAllowed"))],
    ],
  };

  return (
    <>
      <ViewHeader titleKey="jitCatalog" subKey="jitCatalogHelp" divider={false} />
      <PageSection variant="light" className="pf-v5-u-p-0" data-testid="jit-catalog">
        {error && <Alert variant="danger" isInline title={error} className="pf-v5-u-m-md" data-testid="jit-load-error" />}
        <Tabs activeKey={tab} onSelect={(_e, k) => setTab(k as Kind | "webhook")} inset={{ default: "insetMd" }} mountOnEnter unmountOnExit>
          {[
            ...(["datasources", "columns", "policies"] as Kind[]).map((kind) => (
              <Tab key={kind} eventKey={kind} title={<TabTitleText>{t(`jitTab_${kind}`)}</TabTitleText>} data-testid={`jit-tab-${kind}`}>
                <CrudTable
                  api={apis.admin}
                  kind={kind}
                  rows={data[kind] as unknown as Entity[]}
                  fields={fields[kind]}
                  columns={columnsOf[kind]}
                  canManage={!!access?.manageCatalog}
                  onChanged={load}
                />
              </Tab>
            )),
            access?.webhook && (
              <Tab key="webhook" eventKey="webhook" title={<TabTitleText>{t("jitTab_webhook")}</TabTitleText>} data-testid="jit-tab-webhook">
                <WebhookSettings api={apis.admin} />
              </Tab>
            ),
          ]}
        </Tabs>
      </PageSection>
    </>
  );
}

const soft = (e: unknown) => {
  if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return [];
  throw e;
};

type CrudProps = {
  api: Api;
  kind: Kind;
  rows: Entity[];
  fields: Field[];
  columns: [string, (e: Entity) => ReactNode][];
  /** Create, edit and delete: for catalog managers only. */
  canManage: boolean;
  onChanged: () => void;
};

const CrudTable = ({ api, kind, rows, fields, columns, canManage, onChanged }: CrudProps) => {
  const { t } = useTranslation();
  const addAlert = useJitAlerts();
  const [editing, setEditing] = useState<{ entity?: Entity }>();
  const [deleting, setDeleting] = useState<Entity>();

  const remove = async () => {
    if (!deleting) return;
    try {
      await api.del(`${kind}/${encodeURIComponent(deleting.id)}`);
      addAlert(t("jitDeleted"));
      onChanged();
    } catch (e) {
      addAlert(errorMessage(e), AlertVariant.danger);
    }
    setDeleting(undefined);
  };

  return (
    <>
      {canManage && (
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <Button onClick={() => setEditing({})} data-testid={`jit-create-${kind}`}>
                {t(`jitCreate_${kind}`)}
              </Button>
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
      )}
      {rows.length === 0 ? (
        <EmptyState>
          <EmptyStateHeader titleText={t("jitNothingYet")} headingLevel="h3" />
        </EmptyState>
      ) : (
        <Table aria-label={t(`jitTab_${kind}`)} variant="compact" data-testid={`jit-table-${kind}`}>
          <Thead>
            <Tr>
              {columns.map(([label]) => (
                <Th key={label}>{label}</Th>
              ))}
              {canManage && <Th screenReaderText={t("jitActions")} />}
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((row) => (
              <Tr key={row.id}>
                {columns.map(([label, render]) => (
                  <Td key={label} dataLabel={label}>
                    {render(row)}
                  </Td>
                ))}
                {canManage && (
                  <Td
                    actions={{
                      items: [
                        { title: t("edit"), onClick: () => setEditing({ entity: row }) },
                        { title: t("delete"), onClick: () => setDeleting(row) },
                      ],
                    }}
                  />
                )}
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {editing && (
        <EditModal
          api={api}
          kind={kind}
          fields={fields}
          entity={editing.entity}
          onClose={(saved) => {
            setEditing(undefined);
            if (saved) {
              addAlert(t("jitSaved"));
              onChanged();
            }
          }}
        />
      )}
      {deleting && (
        <Modal
          variant={ModalVariant.small}
          title={t("jitDeleteTitle", { name: String(deleting.name ?? deleting.id) })}
          isOpen
          onClose={() => setDeleting(undefined)}
          actions={[
            <Button key="del" variant="danger" onClick={remove} data-testid="jit-delete-confirm">
              {t("delete")}
            </Button>,
            <Button key="cancel" variant="link" onClick={() => setDeleting(undefined)}>
              {t("cancel")}
            </Button>,
          ]}
        >
          {t("jitDeleteHelp")}
        </Modal>
      )}
    </>
  );
};

type EditProps = { api: Api; kind: Kind; fields: Field[]; entity?: Entity; onClose: (saved: boolean) => void };

const EditModal = ({ api, kind, fields, entity, onClose }: EditProps) => {
  const { t } = useTranslation();
  const initial: Record<string, unknown> = { ...(entity ?? {}) };
  if (kind === "policies" && !initial.stages) initial.stages = [{ name: "", approverGroup: "", minApprovals: 1 }];
  if (kind === "columns" && typeof initial.policy === "object" && initial.policy) initial.policy = (initial.policy as Policy).id;
  for (const f of fields) {
    if (f.type === "select" && !initial[f.name] && f.options?.length) initial[f.name] = f.options[0].value;
  }
  const [values, setValues] = useState<Record<string, unknown>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (name: string, value: unknown) => setValues((v) => ({ ...v, [name]: value }));
  // Saved unchanged, a removed group stays removed (the API would otherwise look the path up again).
  const escalationGroupRemoved = !!initial.escalationGroupRemoved && values.escalationGroup === initial.escalationGroup;

  const save = async () => {
    const e: Record<string, string> = {};
    for (const f of fields) {
      const v = values[f.name];
      if (f.required && (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0))) e[f.name] = t("jitRequired");
    }
    setErrors(e);
    if (Object.keys(e).length) return;
    const body: Record<string, unknown> = {};
    for (const f of fields) {
      const v = values[f.name];
      if (v === "" || v === undefined) continue;
      body[f.name] = f.type === "number" ? Number(v) : v;
    }
    if (escalationGroupRemoved) body.escalationGroupRemoved = true;
    try {
      if (entity) await api.put(`${kind}/${encodeURIComponent(entity.id)}`, { ...body, id: entity.id });
      else await api.post(kind, body);
      onClose(true);
    } catch (err) {
      const field = err instanceof ApiError && err.field ? err.field.replace(/\[.*$/, "").split(".")[0] : "form";
      setErrors({ [fields.some((f) => f.name === field) ? field : "form"]: errorMessage(err) });
    }
  };

  return (
    <Modal
      variant={ModalVariant.medium}
      title={t(entity ? `jitEdit_${kind}` : `jitCreate_${kind}`)}
      isOpen
      onClose={() => onClose(false)}
      data-testid="jit-edit-modal"
      actions={[
        <Button key="save" onClick={save} data-testid="jit-save">
          {t("save")}
        </Button>,
        <Button key="cancel" variant="link" onClick={() => onClose(false)}>
          {t("cancel")}
        </Button>,
      ]}
    >
      <Form isHorizontal onSubmit={(e) => e.preventDefault()}>
        {fields.map((f) => {
          const id = `jit-field-${f.name}`;
          const v = values[f.name];
          const validated = errors[f.name] ? "error" : "default";
          const disabled = !!entity && f.createOnly;
          let input: ReactNode;
          if (f.type === "textarea") input = <TextArea id={id} value={String(v ?? "")} onChange={(_e, x) => set(f.name, x)} validated={validated} />;
          else if (f.type === "select")
            input = (
              <FormSelect id={id} value={String(v ?? "")} onChange={(_e, x) => set(f.name, x)} validated={validated}>
                {(f.options ?? []).map((o) => (
                  <FormSelectOption key={o.value} value={o.value} label={o.label} />
                ))}
              </FormSelect>
            );
          else if (f.type === "stages") input = <StagesEditor stages={(v as Stage[]) ?? []} onChange={(s) => set(f.name, s)} />;
          else
            input = (
              <TextInput
                id={id}
                type={f.type === "number" ? "number" : "text"}
                value={v === undefined || v === null ? "" : String(v)}
                onChange={(_e, x) => set(f.name, x)}
                validated={validated}
                isDisabled={disabled}
                list={f.name === "label" ? "jit-labels" : undefined}
              />
            );
          return (
            <FormGroup key={f.name} label={f.label} fieldId={id} isRequired={f.required}>
              {input}
              {f.name === "label" && (
                <datalist id="jit-labels">
                  {LABELS.map((l) => (
                    <option key={l} value={l} />
                  ))}
                </datalist>
              )}
              {f.name === "escalationGroup" && escalationGroupRemoved && (
                <HelperText>
                  <HelperTextItem variant="error">{t("jitRemovedHelp")}</HelperTextItem>
                </HelperText>
              )}
              {(errors[f.name] || f.help) && (
                <FormHelperText>
                  <HelperText>
                    <HelperTextItem variant={errors[f.name] ? "error" : "default"} data-testid={errors[f.name] ? `jit-error-${f.name}` : undefined}>
                      {errors[f.name] ?? f.help}
                    </HelperTextItem>
                  </HelperText>
                </FormHelperText>
              )}
            </FormGroup>
          );
        })}
        {errors.form && <Alert variant="danger" isInline title={errors.form} data-testid="jit-error-form" />}
      </Form>
    </Modal>
  );
};

/** Ordered stages: name, approver group (path) or role, minimum approvals. */
const StagesEditor = ({ stages, onChange }: { stages: Stage[]; onChange: (s: Stage[]) => void }) => {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<Stage>) => onChange(stages.map((s, j) => (i === j ? { ...s, ...patch } : s)));
  return (
    <div data-testid="jit-stages-editor">
      {stages.map((s, i) => (
        <Grid hasGutter key={i} className="pf-v5-u-mb-sm">
          <GridItem span={3}>
            <TextInput aria-label={t("jitStageName")} placeholder={t("jitStageName")} value={s.name ?? ""} onChange={(_e, v) => update(i, { name: v })} />
          </GridItem>
          <GridItem span={3}>
            <TextInput
              aria-label={t("jitApproverGroup")}
              placeholder="/data-owners"
              value={s.approverGroup ?? ""}
              validated={s.approverRemoved && s.approverGroup ? "error" : "default"}
              onChange={(_e, v) => update(i, { approverGroup: v || undefined, approverRemoved: undefined })}
            />
            {s.approverRemoved && s.approverGroup && <HelperText><HelperTextItem variant="error">{t("jitRemovedHelp")}</HelperTextItem></HelperText>}
          </GridItem>
          <GridItem span={3}>
            <TextInput
              aria-label={t("jitApproverRole")}
              placeholder={t("jitApproverRole")}
              value={s.approverRole ?? ""}
              validated={s.approverRemoved && s.approverRole ? "error" : "default"}
              onChange={(_e, v) => update(i, { approverRole: v || undefined, approverRemoved: undefined })}
            />
            {s.approverRemoved && s.approverRole && <HelperText><HelperTextItem variant="error">{t("jitRemovedHelp")}</HelperTextItem></HelperText>}
          </GridItem>
          <GridItem span={2}>
            <TextInput aria-label={t("jitMinApprovalsLabel")} type="number" value={String(s.minApprovals ?? 1)} onChange={(_e, v) => update(i, { minApprovals: Number(v) || 1 })} />
          </GridItem>
          <GridItem span={1}>
            <Button variant="plain" aria-label={t("jitRemoveStage")} onClick={() => onChange(stages.filter((_, j) => j !== i))}>
              <MinusCircleIcon />
            </Button>
          </GridItem>
        </Grid>
      ))}
      <Button variant="link" icon={<PlusCircleIcon />} onClick={() => onChange([...stages, { name: "", minApprovals: 1 }])}>
        {t("jitAddStage")}
      </Button>
    </div>
  );
};

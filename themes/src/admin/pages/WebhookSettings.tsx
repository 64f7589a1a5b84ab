import {
  ActionGroup,
  Alert,
  Button,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  Label,
  Spinner,
  TextInput,
} from "@patternfly/react-core";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, errorMessage, type Api } from "../../common/api";
import { useJitAlerts } from "../alerts";

type Settings = { url: string | null; secretSet: boolean };

/** The realm's webhook: its URL and signing secret, which is written here and never shown again. */
export const WebhookSettings = ({ api }: { api: Api }) => {
  const { t } = useTranslation();
  const addAlert = useJitAlerts();
  const [settings, setSettings] = useState<Settings>();
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});

  const load = useCallback(async () => {
    try {
      const s = await api.get<Settings>("webhook");
      setSettings(s);
      setUrl(s.url ?? "");
      setSecret("");
    } catch (e) {
      setSettings({ url: null, secretSet: false });
      setErrors({ form: errorMessage(e) });
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!settings) return <Spinner />;

  const save = async () => {
    setErrors({});
    try {
      await api.put("webhook", secret ? { url, secret } : { url });
      addAlert(t("jitWebhookSaved"));
      await load();
    } catch (e) {
      const field = e instanceof ApiError && (e.field === "url" || e.field === "secret") ? e.field : "form";
      setErrors({ [field]: errorMessage(e) });
    }
  };

  const remove = async () => {
    setErrors({});
    try {
      await api.del("webhook");
      addAlert(t("jitWebhookRemoved"));
      await load();
    } catch (e) {
      setErrors({ form: errorMessage(e) });
    }
  };

  const helper = (field: string, help: string) => (
    <FormHelperText>
      <HelperText>
        <HelperTextItem variant={errors[field] ? "error" : "default"} data-testid={errors[field] ? `jit-error-${field}` : undefined}>
          {errors[field] ?? help}
        </HelperTextItem>
      </HelperText>
    </FormHelperText>
  );

  return (
    <Form className="pf-v5-u-p-md" onSubmit={(e) => e.preventDefault()} data-testid="jit-webhook">
      <p>
        {t("jitWebhookHelp")}{" "}
        {settings.url ? (
          <Label color="green" data-testid="jit-webhook-status">{t(settings.secretSet ? "jitWebhookActive" : "jitWebhookNoSecret")}</Label>
        ) : (
          <Label data-testid="jit-webhook-status">{t("jitWebhookNone")}</Label>
        )}
      </p>
      <FormGroup label={t("jitWebhookUrl")} fieldId="jit-webhook-url" isRequired>
        <TextInput id="jit-webhook-url" type="url" value={url} onChange={(_e, v) => setUrl(v)} validated={errors.url ? "error" : "default"} />
        {helper("url", t("jitWebhookUrlHelp"))}
      </FormGroup>
      <FormGroup label={t("jitWebhookSecret")} fieldId="jit-webhook-secret" isRequired={!settings.secretSet}>
        <TextInput
          id="jit-webhook-secret"
          type="password"
          autoComplete="new-password"
          value={secret}
          onChange={(_e, v) => setSecret(v)}
          validated={errors.secret ? "error" : "default"}
        />
        {helper("secret", t(settings.secretSet ? "jitWebhookSecretKeep" : "jitWebhookSecretHelp"))}
      </FormGroup>
      {errors.form && <Alert variant="danger" isInline title={errors.form} data-testid="jit-error-form" />}
      <ActionGroup>
        <Button variant="primary" onClick={save} data-testid="jit-webhook-save">
          {t("save")}
        </Button>
        {settings.url && (
          <Button variant="link" isDanger onClick={remove} data-testid="jit-webhook-remove">
            {t("jitWebhookRemove")}
          </Button>
        )}
      </ActionGroup>
    </Form>
  );
};

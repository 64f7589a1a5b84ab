import {
  Alert,
  Button,
  ClipboardCopy,
  ClipboardCopyVariant,
  Form,
  FormGroup,
  Modal,
  ModalVariant,
  Spinner,
  Text,
  TextContent,
} from "@patternfly/react-core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage, type Api } from "../common/api";
import type { TokenResponse } from "../common/model";

/** The SQL line that hands the token to a PostgreSQL session (DESIGN.md, story step 4). */
export const setTokenSql = (token: string) => `SELECT jit_columns.set_token('${token.replace(/'/g, "''")}');`;

type Props = { api: Api; datasource: string; onClose: () => void };

/** "Get database token": `POST /token {datasource}`, shown with copy buttons. */
export const TokenModal = ({ api, datasource, onClose }: Props) => {
  const { t } = useTranslation();
  const [token, setToken] = useState<TokenResponse>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    api
      .post<TokenResponse>("token", { datasource })
      .then(setToken)
      .catch((e) => setError(errorMessage(e)));
  }, [api, datasource]);

  return (
    <Modal
      variant={ModalVariant.medium}
      title={t("jitDatabaseToken", { datasource })}
      isOpen
      onClose={onClose}
      data-testid="jit-token-modal"
      actions={[
        <Button key="close" variant="primary" onClick={onClose}>
          {t("jitClose")}
        </Button>,
      ]}
    >
      {error && <Alert variant="danger" isInline title={error} data-testid="jit-token-error" />}
      {!error && !token && <Spinner size="lg" />}
      {token && (
        <Form onSubmit={(e) => e.preventDefault()}>
          <TextContent>
            <Text>{t("jitTokenHelp", { minutes: Math.max(1, Math.floor(token.expires_in / 60)) })}</Text>
          </TextContent>
          <FormGroup label={t("jitSqlLine")} fieldId="jit-sql-line">
            <ClipboardCopy
              isReadOnly
              hoverTip={t("jitCopy")}
              clickTip={t("jitCopied")}
              data-testid="jit-copy-sql"
              textAriaLabel={t("jitSqlLine")}
            >
              {setTokenSql(token.access_token)}
            </ClipboardCopy>
          </FormGroup>
          <FormGroup label={t("jitAccessToken")} fieldId="jit-access-token">
            <ClipboardCopy
              isReadOnly
              isExpanded={false}
              variant={ClipboardCopyVariant.expansion}
              hoverTip={t("jitCopy")}
              clickTip={t("jitCopied")}
              data-testid="jit-copy-token"
              textAriaLabel={t("jitAccessToken")}
            >
              {token.access_token}
            </ClipboardCopy>
          </FormGroup>
        </Form>
      )}
    </Modal>
  );
};

import { Button, Modal, ModalVariant, Text, TextContent } from "@patternfly/react-core";
import { useTranslation } from "react-i18next";
import { useRouteError } from "react-router-dom";

export const ErrorPage = () => {
  const { t } = useTranslation();
  const error = useRouteError();
  const message = error instanceof Error ? error.message : String(error ?? "");
  return (
    <Modal
      variant={ModalVariant.small}
      title={t("somethingWentWrong", "Something went wrong")}
      titleIconVariant="danger"
      showClose={false}
      isOpen
      actions={[
        <Button key="reload" onClick={() => location.reload()}>
          {t("tryAgain", "Try again")}
        </Button>,
      ]}
    >
      <TextContent>
        <Text>{t("somethingWentWrongDescription", "Sorry, an unexpected error has occurred.")}</Text>
        {message && <Text component="small">{message}</Text>}
      </TextContent>
    </Modal>
  );
};

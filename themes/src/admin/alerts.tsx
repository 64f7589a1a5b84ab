import { Alert, AlertActionCloseButton, AlertGroup, AlertVariant } from "@patternfly/react-core";
import { createContext, useCallback, useContext, useState, type PropsWithChildren } from "react";

type Toast = { id: number; title: string; variant: AlertVariant };
type Add = (title: string, variant?: AlertVariant) => void;

const AlertContext = createContext<Add>(() => {});

/** Toast alerts for our pages (the stock alert context lives inside the admin-ui bundle, pitfall 3). */
export const JitAlerts = ({ children }: PropsWithChildren) => {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const add = useCallback<Add>((title, variant = AlertVariant.success) => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t, { id, title, variant }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 8000);
  }, []);
  return (
    <AlertContext.Provider value={add}>
      {children}
      <AlertGroup isToast isLiveRegion>
        {toasts.map((t) => (
          <Alert
            key={t.id}
            variant={t.variant}
            title={t.title}
            data-testid="jit-alert"
            actionClose={<AlertActionCloseButton onClose={() => setToasts((x) => x.filter((y) => y.id !== t.id))} />}
          />
        ))}
      </AlertGroup>
    </AlertContext.Provider>
  );
};

export const useJitAlerts = () => useContext(AlertContext);

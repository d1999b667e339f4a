import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../app/api';
import { ForbiddenResult } from './ResultPages';

/** A failed page load: the 403 page for 403, otherwise the server's (localized) message with a retry button. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (isApiError(error) && error.status === 403) return <ForbiddenResult />;
  const message = error instanceof Error && error.message ? error.message : t('errors.unknown');
  return (
    <Alert
      type="error"
      showIcon
      title={t('errors.loadFailed')}
      description={message}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

import { Alert, Button, Descriptions, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../components/format';
import type { Activation } from './api';

/** Shows a one-time activation code once (after create or reset); the server keeps only its hash. */
export function ActivationCodeModal({
  value,
  onClose,
}: {
  value: (Activation & { username: string; displayName: string }) | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={value !== null}
      title={t('identity.activation.title')}
      closable={false}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose} data-testid="activation-close">
          {t('identity.activation.close')}
        </Button>
      }
    >
      {value ? (
        <>
          <Typography.Paragraph>{t('identity.activation.intro', { name: value.displayName })}</Typography.Paragraph>
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label={t('identity.activation.username')}>
              <Typography.Text code>{value.username}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('identity.activation.code')}>
              <Typography.Text
                strong
                copyable={{ tooltips: [t('identity.activation.copy'), t('identity.activation.copied')] }}
                style={{ fontFamily: 'monospace', fontSize: 18, letterSpacing: 1 }}
                data-testid="activation-code"
              >
                {value.activationCode}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('identity.activation.expires')}>
              {formatDateTime(value.activationExpiresAt)}
            </Descriptions.Item>
          </Descriptions>
          {value.roleSuspended ? (
            <Alert type="warning" showIcon style={{ marginTop: 12 }} title={t('identity.activation.roleSuspended')} />
          ) : null}
        </>
      ) : null}
    </Modal>
  );
}

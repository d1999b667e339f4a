import { GlobalOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../app/i18n';

/** Switches between 简体中文 and English; the button names the language it switches to. */
export function LanguageSwitch({ compact = false, ghost = false }: { compact?: boolean; ghost?: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const english = i18n.language === 'en';
  const target = english ? 'zh-CN' : 'en';
  const label = english ? t('lang.zh-CN') : t('lang.en');

  const onClick = async () => {
    await setLanguage(target);
    // Server messages and labels come localized: fetch them again in the new language.
    await queryClient.invalidateQueries();
  };

  return (
    <Button
      type={ghost ? 'text' : 'default'}
      icon={<GlobalOutlined />}
      onClick={() => void onClick()}
      aria-label={t('lang.switchTo', { lang: label })}
      data-testid="lang-switch"
      lang={target}
    >
      {compact ? null : label}
    </Button>
  );
}

import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Empty } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { type ReactNode, useEffect } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import i18n from './i18n';

export const BRAND_COLOR = '#1f7a4d';

const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', " +
  "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', Roboto, 'Helvetica Neue', " +
  'Arial, sans-serif';

function LocalizedConfig({ children }: { children: ReactNode }) {
  const { t, i18n: instance } = useTranslation();
  const english = instance.language === 'en';

  useEffect(() => {
    dayjs.locale(english ? 'en' : 'zh-cn');
    document.title = t('app.fullName');
  }, [english, t]);

  return (
    <ConfigProvider
      locale={english ? enUS : zhCN}
      theme={{
        token: {
          colorPrimary: BRAND_COLOR,
          // The derived light tints of a dark green come out grey: set them.
          colorPrimaryBg: '#e7f5ed',
          colorPrimaryBgHover: '#d3ecdd',
          fontFamily: FONT_FAMILY,
          borderRadius: 6,
        },
      }}
      renderEmpty={() => <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} />}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <LocalizedConfig>{children}</LocalizedConfig>
      </QueryClientProvider>
    </I18nextProvider>
  );
}

import { MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Button, Drawer, Flex, Grid, Layout, Spin, Typography, theme } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useNavigate } from 'react-router-dom';
import { DemoBadge } from '../../components/DemoBadge';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { Logo } from '../../components/Logo';
import { StepUpHost } from '../../features/security/StepUpHost';
import { useSession } from '../guards';
import { usePublicInfo } from '../session';
import { NotificationBell } from './NotificationBell';
import { SideMenu } from './SideMenu';
import { UserMenu } from './UserMenu';

const { Header, Sider, Content, Footer } = Layout;

export function AppLayout() {
  const { t } = useTranslation();
  const me = useSession();
  const info = usePublicInfo();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const { token } = theme.useToken();
  const mobile = screens.md === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);

  const demo = me.demo || info.data?.demo === true;

  const brand = (
    <Flex
      align="center"
      gap={10}
      style={{ cursor: 'pointer', minWidth: 0 }}
      onClick={() => navigate('/')}
      data-testid="brand"
    >
      <Logo size={28} />
      <Typography.Text strong style={{ fontSize: 17, whiteSpace: 'nowrap' }}>
        {t('app.name')}
      </Typography.Text>
      {mobile ? null : (
        <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
          {t('app.subtitle')}
        </Typography.Text>
      )}
    </Flex>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <StepUpHost />
      <Header
        style={{
          position: 'sticky',
          top: 0,
          zIndex: 100,
          display: 'flex',
          alignItems: 'center',
          gap: 8,
          paddingInline: mobile ? 8 : 16,
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
          height: 56,
          lineHeight: '56px',
        }}
      >
        {mobile ? (
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t('nav.openMenu')}
            data-testid="menu-toggle"
            onClick={() => setDrawerOpen(true)}
          />
        ) : (
          <Button
            type="text"
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            aria-label={collapsed ? t('nav.expandMenu') : t('nav.collapseMenu')}
            onClick={() => setCollapsed((c) => !c)}
          />
        )}
        {brand}
        {demo ? <DemoBadge /> : null}
        <div style={{ flex: 1 }} />
        <Flex align="center" gap={mobile ? 0 : 4}>
          <NotificationBell />
          <LanguageSwitch compact={mobile} ghost />
          <UserMenu compact={mobile} />
        </Flex>
      </Header>
      <Layout>
        {mobile ? null : (
          <Sider
            width={216}
            collapsedWidth={64}
            collapsed={collapsed}
            theme="light"
            style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}` }}
            data-testid="sider"
          >
            <SideMenu />
          </Sider>
        )}
        <Layout>
          <Content style={{ padding: mobile ? 12 : 24, minWidth: 0 }}>
            <Suspense
              fallback={
                <Flex justify="center" style={{ padding: 48 }}>
                  <Spin />
                </Flex>
              }
            >
              <Outlet />
            </Suspense>
          </Content>
          <Footer style={{ textAlign: 'center', padding: '12px 16px', color: token.colorTextTertiary }}>
            {t('app.footer', { version: info.data?.version ?? '' })}
          </Footer>
        </Layout>
      </Layout>
      {mobile ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={260}
          title={
            <Flex align="center" gap={8}>
              <Logo size={24} />
              {t('app.name')}
            </Flex>
          }
          styles={{ body: { padding: 0 } }}
          rootClassName="miaopu-menu-drawer"
        >
          <SideMenu onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      ) : null}
    </Layout>
  );
}

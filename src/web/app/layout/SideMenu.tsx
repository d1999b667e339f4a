import { Menu } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../guards';
import { APP_ROUTES } from '../routes';
import { hasPermission } from '../session';

/** Menu items of the route table the user holds the permission for. */
export function SideMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();

  const items = APP_ROUTES.filter((r) => r.menu && hasPermission(me, r.permission)).map((r) => ({
    key: r.path,
    icon: r.icon,
    label: t(r.labelKey),
  }));
  // Only the longest matching menu path is selected (/parks/map selects 挂图作战, not also 小微企业园).
  const selected = APP_ROUTES.filter(
    (r) => r.menu && (r.path === pathname || (r.path !== '/' && pathname.startsWith(`${r.path}/`))),
  )
    .sort((a, b) => b.path.length - a.path.length)
    .slice(0, 1);

  return (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected.map((r) => r.path)}
      onClick={({ key }) => {
        navigate(key);
        onNavigate?.();
      }}
      style={{ borderInlineEnd: 'none' }}
      data-testid="side-menu"
    />
  );
}

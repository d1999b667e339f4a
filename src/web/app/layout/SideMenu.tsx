import { Menu } from 'antd';
import type { ReactNode } from 'react';
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

  const visible = APP_ROUTES.filter(
    (r) => r.menu && hasPermission(me, r.permission) && !(r.menuUnless && hasPermission(me, r.menuUnless)),
  );
  // Consecutive items of one menu group are shown under the group's title.
  type Leaf = { key: string; icon?: ReactNode; label: string };
  const items: (Leaf | { key: string; type: 'group'; label: string; children: Leaf[] })[] = [];
  for (const r of visible) {
    const leaf: Leaf = { key: r.path, icon: r.icon, label: t(r.labelKey) };
    const last = items[items.length - 1];
    if (!r.menuGroup) items.push(leaf);
    else if (last && 'type' in last && last.key === `group:${r.menuGroup}`) last.children.push(leaf);
    else items.push({ key: `group:${r.menuGroup}`, type: 'group', label: t(r.menuGroup), children: [leaf] });
  }
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

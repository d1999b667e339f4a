/** 政策沙盘 on its own: draft a clause (rule + amount) and see who would qualify before writing a policy. */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageContainer } from '../../components/PageContainer';
import type { Clause } from './api';
import { newClause } from './EditorPage';
import { FormulaInput } from './FormulaInput';
import { RuleEditor } from './RuleEditor';
import { SimulatorPanel } from './SimulatorPanel';

export default function SandboxPage() {
  const { t } = useTranslation();
  const [clause, setClause] = useState<Clause>(() => ({
    ...newClause(1),
    eligibility: { all: [{ fact: 'operating_revenue', op: 'gte', value: 500 }] },
  }));
  const change = (patch: Partial<Clause>) => setClause((c) => ({ ...c, ...patch }));
  return (
    <PageContainer
      title={t('policies.nav.sandbox')}
      extra={
        <Link to="/policies/new">
          <Button type="primary" icon={<PlusOutlined />}>
            {t('policies.list.create')}
          </Button>
        </Link>
      }
    >
      <Card title={t('policies.clause.eligibility')} style={{ marginBottom: 16 }}>
        <RuleEditor value={clause.eligibility} onChange={(eligibility) => change({ eligibility })} />
      </Card>
      <Card title={t('policies.clause.amount')} style={{ marginBottom: 16 }}>
        <FormulaInput clause={clause} onChange={change} />
      </Card>
      <Card title={t('policies.sim.title')}>
        <SimulatorPanel clause={clause} />
      </Card>
    </PageContainer>
  );
}

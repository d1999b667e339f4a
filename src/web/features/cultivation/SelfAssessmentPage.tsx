import { useTranslation } from 'react-i18next';
import { PageContainer } from '../../components/PageContainer';
import { SelfAssessment } from './SelfAssessment';

export default function SelfAssessmentPage() {
  const { t } = useTranslation();
  return (
    <PageContainer title={t('cultivation.self.title')}>
      <SelfAssessment />
    </PageContainer>
  );
}

/**
 * All UI strings: the shell's files plus one pair per business module (namespaced under the module's key, e.g.
 * `parks.list.title`), so modules can be worked on side by side.
 */
import assistanceEn from './assistance.en.json';
import assistanceZh from './assistance.zh-CN.json';
import channelsEn from './channels.en.json';
import channelsZh from './channels.zh-CN.json';
import cockpitEn from './cockpit.en.json';
import cockpitZh from './cockpit.zh-CN.json';
import cultivationEn from './cultivation.en.json';
import cultivationZh from './cultivation.zh-CN.json';
import en from './en.json';
import enterprisesEn from './enterprises.en.json';
import enterprisesZh from './enterprises.zh-CN.json';
import identityEn from './identity.en.json';
import identityZh from './identity.zh-CN.json';
import parksEn from './parks.en.json';
import parksZh from './parks.zh-CN.json';
import policiesEn from './policies.en.json';
import policiesZh from './policies.zh-CN.json';
import projectsEn from './projects.en.json';
import projectsZh from './projects.zh-CN.json';
import reportsEn from './reports.en.json';
import reportsZh from './reports.zh-CN.json';
import toolsEn from './tools.en.json';
import toolsZh from './tools.zh-CN.json';
import zhCN from './zh-CN.json';

export const RESOURCES = {
  'zh-CN': {
    ...zhCN,
    parks: parksZh,
    projects: projectsZh,
    enterprises: enterprisesZh,
    policies: policiesZh,
    assistance: assistanceZh,
    tools: toolsZh,
    cultivation: cultivationZh,
    identity: identityZh,
    cockpit: cockpitZh,
    reports: reportsZh,
    channels: channelsZh,
  },
  en: {
    ...en,
    parks: parksEn,
    projects: projectsEn,
    enterprises: enterprisesEn,
    policies: policiesEn,
    assistance: assistanceEn,
    tools: toolsEn,
    cultivation: cultivationEn,
    identity: identityEn,
    cockpit: cockpitEn,
    reports: reportsEn,
    channels: channelsEn,
  },
};

import { describe, expect, it } from 'vitest';
import {
  backoffSeconds,
  categoryOf,
  groupDigest,
  hostAllowed,
  maskEmail,
  maskUrl,
  normaliseAllowEntry,
} from './notification-channels.ts';

describe('notification channels (pure rules)', () => {
  it('puts 督办 and deadline kinds in their categories and the rest in workflow or system', () => {
    expect(categoryOf('assistance.problem.overdue')).toBe('supervision');
    expect(categoryOf('assistance.problem.escalate')).toBe('supervision');
    expect(categoryOf('project.delay')).toBe('deadline');
    expect(categoryOf('park.milestone.overdue')).toBe('deadline');
    expect(categoryOf('enterprise.qualification.expiry')).toBe('deadline');
    expect(categoryOf('assistance.problem.assign')).toBe('workflow');
    expect(categoryOf('welcome')).toBe('system');
  });

  it('masks addresses and every query value of a webhook URL', () => {
    expect(maskEmail('zhang.san@example.gov.cn')).toBe('z***@example.gov.cn');
    expect(maskEmail('broken')).toBe('***');
    expect(maskUrl('https://oapi.dingtalk.com/robot/send?access_token=1a2b3c4d5e6f')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=1a2b****',
    );
    expect(maskUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc****',
    );
    expect(maskUrl('not a url')).toBe('***');
  });

  it('allow-list entries are exact origins: scheme, host and port', () => {
    expect(normaliseAllowEntry('oapi.dingtalk.com')).toBe('https://oapi.dingtalk.com');
    expect(normaliseAllowEntry('http://10.1.2.3:8080/')).toBe('http://10.1.2.3:8080');
    expect(normaliseAllowEntry('https://x.example/path')).toBeNull();
    expect(normaliseAllowEntry('ftp://x.example')).toBeNull();
    expect(normaliseAllowEntry('https://u:p@x.example')).toBeNull();
    const list = ['oapi.dingtalk.com', 'http://10.1.2.3:8080'];
    expect(hostAllowed('https://oapi.dingtalk.com/robot/send?access_token=x', list)).toBe(true);
    expect(hostAllowed('http://oapi.dingtalk.com/robot/send', list)).toBe(false); // another scheme
    expect(hostAllowed('https://oapi.dingtalk.com:8443/robot/send', list)).toBe(false); // another port
    expect(hostAllowed('https://oapi.dingtalk.com.evil.example/robot/send', list)).toBe(false);
    expect(hostAllowed('https://evil@oapi.dingtalk.com/robot/send', list)).toBe(false); // credentials
    expect(hostAllowed('http://10.1.2.3:8080/hook', list)).toBe(true);
    expect(hostAllowed('http://10.1.2.3:8081/hook', list)).toBe(false);
  });

  it('waits double after each failure, capped at an hour', () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n))).toEqual([30, 60, 120, 240]);
    expect(backoffSeconds(20)).toBe(3600);
  });

  it('groups repeats of one kind about one entity under the newest title, supervision first', () => {
    const at = (h: number) => new Date(Date.UTC(2026, 11, 7, h));
    const base = { body: '', link: null };
    const groups = groupDigest([
      { ...base, kind: 'assistance.problem.assign', title: 'A 第一次', entity: 'p', entityId: '1', createdAt: at(1) },
      { ...base, kind: 'assistance.problem.assign', title: 'A 第二次', entity: 'p', entityId: '1', createdAt: at(3) },
      { ...base, kind: 'assistance.problem.assign', title: 'B', entity: 'p', entityId: '2', createdAt: at(2) },
      { ...base, kind: 'assistance.problem.overdue', title: '督办', entity: 'p', entityId: '1', createdAt: at(0) },
      { ...base, kind: 'welcome', title: '欢迎', entity: null, entityId: null, createdAt: at(0) },
      { ...base, kind: 'welcome', title: '欢迎', entity: null, entityId: null, createdAt: at(1) },
    ]);
    expect(groups.map((g) => [g.category, g.title, g.count])).toEqual([
      ['supervision', '督办', 1],
      ['workflow', 'A 第二次', 2],
      ['workflow', 'B', 1],
      ['system', '欢迎', 2],
    ]);
    expect(groups[1]!.first).toEqual(at(1));
    expect(groups[1]!.last).toEqual(at(3));
    expect(groupDigest([])).toEqual([]);
  });
});

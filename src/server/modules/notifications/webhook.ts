/**
 * Group-robot webhooks (decision 0026): DingTalk and WeCom message bodies, DingTalk's 加签 signature, and one
 * guarded HTTP POST — allow-listed origins only, DNS names must resolve to public addresses, no redirects
 * followed, a timeout on the whole exchange and a cap on the response read.
 */
import crypto from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { hostAllowed, type RobotFormat, type RobotPlatform } from '../../../domain/notification-channels.ts';

/** A failed attempt: `code` names the localized message; `permanent` failures are not retried. */
export class DeliveryError extends Error {
  constructor(
    public readonly code: DeliveryErrorCode,
    public readonly detail: string = '',
    public readonly permanent = false,
  ) {
    super(`${code}${detail ? `: ${detail}` : ''}`);
  }
}

export const DELIVERY_ERRORS = {
  HOST_NOT_ALLOWED: {
    'zh-CN': '目标主机不在允许列表中，已拒绝发送',
    en: 'The target host is not on the allow-list; not sent',
  },
  ADDRESS_NOT_ALLOWED: {
    'zh-CN': '目标域名解析到内网或本机地址，已拒绝发送',
    en: 'The target name resolves to a private or loopback address; not sent',
  },
  REDIRECT_REFUSED: {
    'zh-CN': '接收方要求重定向，不予跟随',
    en: 'The receiver answered with a redirect, not followed',
  },
  HTTP_STATUS: { 'zh-CN': '接收方返回 HTTP {detail}', en: 'The receiver answered HTTP {detail}' },
  REMOTE_ERROR: { 'zh-CN': '接收方拒绝消息：{detail}', en: 'The receiver refused the message: {detail}' },
  TIMEOUT: { 'zh-CN': '连接或响应超时', en: 'Connection or response timed out' },
  CONNECTION: { 'zh-CN': '无法连接接收方：{detail}', en: 'Could not connect to the receiver: {detail}' },
  SMTP_NOT_CONFIGURED: { 'zh-CN': '尚未配置邮件服务器', en: 'No mail server is configured' },
  SMTP_REJECTED: { 'zh-CN': '邮件服务器拒绝：{detail}', en: 'The mail server refused: {detail}' },
  NO_ADDRESS: { 'zh-CN': '用户未设置邮箱地址', en: 'The user has no e-mail address' },
  TARGET_REMOVED: {
    'zh-CN': '接收对象已删除或停用',
    en: 'The recipient or robot was removed or disabled',
  },
  SECRET_UNREADABLE: {
    'zh-CN': '密钥无法解密（密钥已轮换或数据损坏）',
    en: 'A stored secret could not be decrypted (key rotated or data damaged)',
  },
  INTERRUPTED: { 'zh-CN': '发送中断（进程停止），将重试', en: 'Sending was interrupted (process stopped); will retry' },
} as const;
export type DeliveryErrorCode = keyof typeof DELIVERY_ERRORS;

export function deliveryErrorText(code: string | null, detail: string | null, locale: 'zh-CN' | 'en'): string | null {
  if (!code) return null;
  const entry = DELIVERY_ERRORS[code as DeliveryErrorCode];
  if (!entry) return locale === 'en' ? 'Sending failed' : '发送失败';
  return entry[locale].replace('{detail}', detail ?? '');
}

/**
 * DingTalk 加签: string to sign `timestamp + "\n" + secret`, HMAC-SHA256 keyed with the secret, Base64, then
 * URL-encoded as the `sign` query parameter next to `timestamp` (milliseconds).
 */
export function dingtalkSign(secret: string, timestamp: number): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

export function signedDingtalkUrl(url: string, secret: string, timestamp: number): string {
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestamp));
  u.searchParams.set('sign', dingtalkSign(secret, timestamp));
  return u.toString();
}

/** Truncates to a UTF-8 byte budget without cutting a character. */
export function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > max - 3) break;
    out += ch;
    bytes += b;
  }
  return `${out}…`;
}

export interface RobotMessage {
  title: string;
  body: string;
  /** Absolute link, when the deployment's public address is known. */
  url: string | null;
}

/**
 * The JSON body of a robot message. DingTalk: `{msgtype:'markdown', markdown:{title,text}}` or
 * `{msgtype:'text', text:{content}}`; WeCom: `{msgtype:'markdown', markdown:{content}}` (≤ 4096 bytes) or
 * `{msgtype:'text', text:{content}}` (≤ 2048 bytes).
 */
export function robotPayload(platform: RobotPlatform, format: RobotFormat, m: RobotMessage): Record<string, unknown> {
  const md = `### ${m.title}\n\n${m.body}${m.url ? `\n\n[查看详情](${m.url})` : ''}`;
  const plain = `${m.title}\n${m.body}${m.url ? `\n${m.url}` : ''}`;
  if (platform === 'dingtalk') {
    return format === 'markdown'
      ? { msgtype: 'markdown', markdown: { title: truncateBytes(m.title, 200), text: truncateBytes(md, 18_000) } }
      : { msgtype: 'text', text: { content: truncateBytes(plain, 18_000) } };
  }
  return format === 'markdown'
    ? { msgtype: 'markdown', markdown: { content: truncateBytes(md, 4096) } }
    : { msgtype: 'text', text: { content: truncateBytes(plain, 2048) } };
}

const PRIVATE = new net.BlockList();
for (const [a, p] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(a, p, 'ipv4');
for (const [a, p] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['::ffff:0:0', 96],
] as const)
  PRIVATE.addSubnet(a, p, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * A DNS lookup that refuses private, loopback and link-local answers: an allow-listed *name* must not lead
 * inside (DNS rebinding, a hijacked record). An IP literal on the allow-list is the admin's explicit choice and
 * needs no lookup.
 */
const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 4);
    const list = addresses as dns.LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad || list.length === 0) {
      return callback(new DeliveryError('ADDRESS_NOT_ALLOWED', hostname, true) as NodeJS.ErrnoException, '', 4);
    }
    if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: unknown) => void)(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
};

export interface PostResult {
  status: number;
  body: string;
}

/** POSTs JSON to an allow-listed origin; throws DeliveryError. */
export async function postJson(
  url: string,
  payload: unknown,
  opts: { allowList: readonly string[]; timeoutMs?: number },
): Promise<PostResult> {
  if (!hostAllowed(url, opts.allowList)) throw new DeliveryError('HOST_NOT_ALLOWED', new URL(url).host, true);
  const u = new URL(url);
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const literal = net.isIP(u.hostname.replace(/^\[|\]$/g, '')) !== 0;
  const mod = u.protocol === 'https:' ? https : http;
  return await new Promise<PostResult>((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': body.length,
          'user-agent': 'Miaopu-Notifier/1',
        },
        timeout: timeoutMs,
        agent: false,
        ...(literal ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.resume();
          reject(new DeliveryError('REDIRECT_REFUSED', String(status), true));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 65_536) chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(overall);
          resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e) => reject(new DeliveryError('CONNECTION', e.message)));
      },
    );
    const overall = setTimeout(() => req.destroy(new DeliveryError('TIMEOUT')), timeoutMs);
    req.on('timeout', () => req.destroy(new DeliveryError('TIMEOUT')));
    req.on('error', (e) => {
      clearTimeout(overall);
      if (e instanceof DeliveryError) reject(e);
      else reject(new DeliveryError('CONNECTION', (e as NodeJS.ErrnoException).code ?? e.message));
    });
    req.end(body);
  });
}

/** Sends a robot message and checks the platform's answer (`errcode` 0). */
export async function sendRobot(
  robot: { platform: RobotPlatform; format: RobotFormat; url: string; secret: string | null },
  message: RobotMessage,
  opts: { allowList: readonly string[]; now: Date; timeoutMs?: number },
): Promise<void> {
  const url =
    robot.platform === 'dingtalk' && robot.secret
      ? signedDingtalkUrl(robot.url, robot.secret, opts.now.getTime())
      : robot.url;
  const res = await postJson(url, robotPayload(robot.platform, robot.format, message), opts);
  if (res.status < 200 || res.status >= 300) {
    // 4xx other than 429 will not get better by retrying
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 429;
    throw new DeliveryError('HTTP_STATUS', String(res.status), permanent);
  }
  let parsed: { errcode?: unknown; errmsg?: unknown } = {};
  try {
    parsed = JSON.parse(res.body) as typeof parsed;
  } catch {
    parsed = {};
  }
  if (typeof parsed.errcode === 'number' && parsed.errcode !== 0) {
    throw new DeliveryError('REMOTE_ERROR', `${parsed.errcode} ${String(parsed.errmsg ?? '')}`.slice(0, 200));
  }
}

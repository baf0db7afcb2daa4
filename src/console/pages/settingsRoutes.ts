import type { PageResult, PageRoute } from '../types.js';
import { html } from '../html.js';
import { importAction, rosterDownload, unitEditAction, unitEditPage, unitsPage } from './settingsUnits.js';
import { scheduleEditAction, schedulePage } from './settingsSchedule.js';
import { mailPage, mailSaveAction, mailTestAction } from './settingsMail.js';

const admin = ['admin'] as const;

function settingsIndex(): Promise<PageResult> {
  return Promise.resolve({
    kind: 'page',
    title: '设置',
    body: html`<div class="cards">
      <a href="/settings/units"><strong>单位名单</strong><br />导入种子文件，编辑单位名称、网址和联系人</a>
      <a href="/settings/schedule"><strong>定时任务</strong><br />每月巡查、每小时监测、整改复查和期限提醒</a>
      <a href="/settings/mail"><strong>邮件</strong><br />发送服务器、政务公开办收件人、测试邮件和发送记录</a>
    </div>`,
  });
}

/** Routes of the console: units roster, schedule, mail settings (administration). */
export const settingsRoutes: PageRoute[] = [
  { method: 'GET', path: '/settings', roles: admin, handle: settingsIndex },
  { method: 'GET', path: '/settings/units', roles: admin, handle: unitsPage },
  { method: 'GET', path: '/settings/units.yaml', roles: admin, handle: rosterDownload },
  { method: 'POST', path: '/settings/units', roles: admin, handle: importAction },
  { method: 'GET', path: '/settings/units/:unitId', roles: admin, handle: unitEditPage },
  { method: 'POST', path: '/settings/units/:unitId', roles: admin, handle: unitEditAction },
  { method: 'GET', path: '/settings/schedule', roles: admin, handle: schedulePage },
  { method: 'POST', path: '/settings/schedule/:name', roles: admin, handle: scheduleEditAction },
  { method: 'GET', path: '/settings/mail', roles: admin, handle: mailPage },
  { method: 'POST', path: '/settings/mail', roles: admin, handle: mailSaveAction },
  { method: 'POST', path: '/settings/mail/test', roles: admin, handle: mailTestAction },
];

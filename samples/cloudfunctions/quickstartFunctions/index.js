// Sends assignment notifications for CrmIntegration (docs: README.md beside this file; docs/wechat-miniprogram.md §2-§3 in the repository).
//
// The service calls POST https://api.weixin.qq.com/tcb/invokecloudfunction?access_token=…&env=…&name=quickstartFunctions
// with this event as the body. An HTTP-triggered function has no user context (getWXContext().OPENID is
// empty), so every recipient's openid is in the event. The service has already cut each value to its key's
// limit (thing <= 20 characters, phrase <= 5, no newlines), so values pass through untouched.
//
// event = {
//   action: 'sendSubscribeMessages',
//   templateId: 'TEMPLATE_ID', miniprogramState: 'formal', lang: 'zh_CN',
//   recipients: [{ id: '<notification id>', openid: 'oXXXX', page: 'pages/customers/list?batchId=…',
//                  data: { thing1: { value: '新分配客户12位：张三、李四' }, time2: { value: '2026年11月22日 17:30' }, phrase3: { value: '待跟进' } } }]
// }
// returns { ok: true, results: [{ id, openid, errCode: 0, msgid: '…' } | { id, openid, errCode, errMsg }] }
// (the service reads it from resp_data and settles each recipient on its own: 43101 is not retried, -1 is).
//
// event = { action: 'ping' } is the service's integration check (GET /api/admin/integration-check): it sends
// nothing and returns { ok: true, action: 'ping', version } (version from package.json: which code is deployed).
const cloud = require('wx-server-sdk')
const { version } = require('./package.json')

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

// Stay well inside the 5 s HTTP trigger limit: the service sends at most Notifications:RecipientsPerInvoke (10).
const MAX_RECIPIENTS = 20

exports.main = async (event) => {
  if (event && event.action === 'ping') {
    return { ok: true, action: 'ping', version }
  }

  if (!event || event.action !== 'sendSubscribeMessages' || !Array.isArray(event.recipients)) {
    return { ok: false, error: 'expected action sendSubscribeMessages with recipients', results: [] }
  }

  const recipients = event.recipients.slice(0, MAX_RECIPIENTS)
  const results = await Promise.all(recipients.map((r) => send(event, r)))
  return { ok: true, results }
}

async function send (event, r) {
  try {
    const res = await cloud.openapi.subscribeMessage.send({
      touser: r.openid,
      templateId: event.templateId,
      page: r.page,
      miniprogramState: event.miniprogramState || 'formal',
      lang: event.lang || 'zh_CN',
      data: r.data // thing1/time2/phrase3 have no capitals: the SDK's camelCase → snake_case leaves them alone
    })
    // msgid is 64-bit: a string keeps every digit.
    return { id: r.id, openid: r.openid, errCode: 0, msgid: String(res.msgid) }
  } catch (e) {
    // WeChat's errcode != 0 is thrown as CloudSDKError { errCode, errMsg: 'openapi.subscribeMessage.send:fail … rid: …' }.
    return { id: r.id, openid: r.openid, errCode: typeof e.errCode === 'number' ? e.errCode : -1, errMsg: String(e.errMsg || e.message || e) }
  }
}

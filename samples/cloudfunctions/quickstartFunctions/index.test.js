// The cloud function under node's own test runner (node --test, node 20+), with wx-server-sdk replaced by a
// local stub: no npm install, no network. It proves that what the function returns, once WeChat has put it
// into resp_data as a JSON string, is what the service reads (src/Infrastructure/Customers/MiniProgram/
// CloudFunctionSender.cs: resp_data.results[] with id, openid, errCode, msgid, errMsg) and what its
// integration check expects from a ping (IntegrationCheck: { ok: true, action: 'ping', version }).
// Run by build/test-cloudfunction.sh, which build/test.sh calls.
'use strict'

const test = require('node:test')
const assert = require('node:assert/strict')
const Module = require('node:module')

const functionFile = require.resolve('./index.js')
const { version } = require('./package.json')

// Loads index.js afresh with `require('wx-server-sdk')` answered by a stub whose subscribeMessage.send is `send`.
function loadFunction (send) {
  const sdk = {
    DYNAMIC_CURRENT_ENV: Symbol('DYNAMIC_CURRENT_ENV'),
    inits: [],
    sends: [],
    init (options) { this.inits.push(options) },
    openapi: {
      subscribeMessage: {
        send: async (args) => {
          sdk.sends.push(args)
          return send(args)
        }
      }
    }
  }
  const load = Module._load
  Module._load = function (request, ...rest) {
    return request === 'wx-server-sdk' ? sdk : load.call(this, request, ...rest)
  }
  try {
    delete require.cache[functionFile]
    return { main: require(functionFile).main, sdk }
  } finally {
    Module._load = load
  }
}

// What invokecloudfunction hands the service: the function's return value as a JSON string in resp_data.
async function invoke (main, event) {
  const respData = JSON.stringify(await main(JSON.parse(JSON.stringify(event))))
  return JSON.parse(respData)
}

// The event exactly as CloudFunctionSender.EventJson writes it.
function sendEvent (...recipients) {
  return {
    action: 'sendSubscribeMessages',
    templateId: 'TPL-ASSIGNED',
    miniprogramState: 'formal',
    lang: 'zh_CN',
    recipients: recipients.map(([id, openid]) => ({
      id,
      openid,
      page: 'pages/customers/list?customerId=' + id,
      data: { thing1: { value: '新分配客户：张三' }, time2: { value: '2026年11月22日 17:30' }, phrase3: { value: '待跟进' } }
    }))
  }
}

test('a successful send answers the recipient with errCode 0 and its msgid as a string', async () => {
  const { main, sdk } = loadFunction(async () => ({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok', msgid: 2910417539381952 }))

  const answer = await invoke(main, sendEvent(['0193a1b2-0000-7000-8000-000000000001', 'oAlice000000000000000000001']))

  assert.equal(answer.ok, true)
  assert.deepEqual(answer.results, [{
    id: '0193a1b2-0000-7000-8000-000000000001',
    openid: 'oAlice000000000000000000001',
    errCode: 0,
    msgid: '2910417539381952'
  }])
  assert.equal(sdk.sends.length, 1)
  assert.deepEqual(sdk.sends[0], {
    touser: 'oAlice000000000000000000001',
    templateId: 'TPL-ASSIGNED',
    page: 'pages/customers/list?customerId=0193a1b2-0000-7000-8000-000000000001',
    miniprogramState: 'formal',
    lang: 'zh_CN',
    data: { thing1: { value: '新分配客户：张三' }, time2: { value: '2026年11月22日 17:30' }, phrase3: { value: '待跟进' } }
  })
  assert.equal(sdk.inits.length, 1, 'cloud.init runs once, when the function loads')
})

test('a WeChat error thrown by the SDK (43101) becomes that recipient\'s errCode and errMsg; the others still go out', async () => {
  const { main } = loadFunction(async (args) => {
    if (args.touser === 'oBob00000000000000000000002') {
      // What wx-server-sdk throws for errcode != 0: a CloudSDKError with errCode and errMsg.
      throw Object.assign(new Error('errCode: 43101 | errMsg: user refuse to accept the msg'), {
        errCode: 43101,
        errMsg: 'openapi.subscribeMessage.send:fail user refuse to accept the msg rid: 6567a1b2-0c1d2e3f-4a5b6c7d'
      })
    }
    return { errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok', msgid: 42 }
  })

  const answer = await invoke(main, sendEvent(['id-alice', 'oAlice000000000000000000001'], ['id-bob', 'oBob00000000000000000000002']))

  assert.equal(answer.ok, true)
  const [alice, bob] = answer.results
  assert.deepEqual(alice, { id: 'id-alice', openid: 'oAlice000000000000000000001', errCode: 0, msgid: '42' })
  assert.equal(bob.id, 'id-bob')
  assert.equal(bob.openid, 'oBob00000000000000000000002')
  assert.equal(bob.errCode, 43101)
  assert.equal(typeof bob.errCode, 'number', 'the service reads errCode as a JSON number')
  assert.match(bob.errMsg, /^openapi\.subscribeMessage\.send:fail user refuse to accept the msg/)
  assert.equal('msgid' in bob, false)
})

test('an error without a WeChat errCode is -1 (transient: the service retries it)', async () => {
  const { main } = loadFunction(async () => { throw new Error('socket hang up') })

  const answer = await invoke(main, sendEvent(['id-1', 'oAlice000000000000000000001']))

  assert.deepEqual(answer.results, [{ id: 'id-1', openid: 'oAlice000000000000000000001', errCode: -1, errMsg: 'socket hang up' }])
})

test('ping answers ok, its action and the function\'s version, and sends nothing', async () => {
  const { main, sdk } = loadFunction(async () => assert.fail('ping must not send'))

  const answer = await invoke(main, { action: 'ping' })

  assert.deepEqual(answer, { ok: true, action: 'ping', version })
  assert.equal(typeof answer.version, 'string')
  assert.equal(sdk.sends.length, 0)
})

test('an unknown action is refused without sending', async () => {
  const { main, sdk } = loadFunction(async () => assert.fail('must not send'))

  const answer = await invoke(main, { action: 'sendEverything' })

  assert.equal(answer.ok, false)
  assert.deepEqual(answer.results, [])
  assert.equal(sdk.sends.length, 0)
})

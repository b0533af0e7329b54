"""A real slixmpp client for xmppscope's tests: logs in, optionally sends one message and
optionally waits for one. Prints SESSION/SENT/RECEIVED lines; exits 0 only if everything asked
for happened. Never touches DNS (IP literal + use_aiodns = False)."""
import argparse
import asyncio
import logging
import sys

from slixmpp import ClientXMPP


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--jid', required=True)
    p.add_argument('--password', required=True)
    p.add_argument('--host', required=True)
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--mode', choices=['plain', 'starttls', 'directtls'], default='plain')
    p.add_argument('--cafile')
    p.add_argument('--mechanism')
    p.add_argument('--send-to')
    p.add_argument('--body')
    p.add_argument('--expect')
    p.add_argument('--timeout', type=float, default=20)
    p.add_argument('--debug', action='store_true')
    p.add_argument('--idle', type=float, default=0, help='seconds to wait after the session starts, before sending')
    p.add_argument('--keepalive', type=float, help='whitespace keepalive interval in seconds (slixmpp default 300)')
    a = p.parse_args()
    logging.basicConfig(level=logging.DEBUG if a.debug else logging.WARNING, stream=sys.stderr)

    xmpp = ClientXMPP(a.jid, a.password, sasl_mech=a.mechanism)
    xmpp.use_aiodns = False  # otherwise slixmpp queries the machine's resolver even for IP literals
    if a.keepalive:
        xmpp.whitespace_keepalive_interval = a.keepalive
    if a.cafile:
        xmpp.ca_certs = a.cafile
    if a.mode == 'plain':
        xmpp['feature_mechanisms'].unencrypted_plain = True
    outcome = {'session': False, 'sent': False, 'received': a.expect is None, 'failure': None}

    async def session_start(_event):
        outcome['session'] = True
        print('SESSION', xmpp.boundjid.full, flush=True)
        xmpp.send_presence()
        if a.idle:
            await asyncio.sleep(a.idle)
        if a.send_to:
            xmpp.send_message(mto=a.send_to, mbody=a.body, mtype='chat')
            outcome['sent'] = True
            print('SENT', a.send_to, flush=True)
        if a.expect is None:
            await asyncio.sleep(0.2)  # let the message leave before the stream closes
            xmpp.disconnect()

    def message(msg):
        if a.expect is not None and msg['body'] == a.expect:
            outcome['received'] = True
            print('RECEIVED', msg['from'], msg['body'], flush=True)
            xmpp.disconnect()

    def failed(event):
        outcome['failure'] = str(event)
        print('FAILED', event, flush=True)
        xmpp.disconnect()

    xmpp.add_event_handler('session_start', session_start)
    xmpp.add_event_handler('message', message)
    xmpp.add_event_handler('failed_auth', failed)
    xmpp.add_event_handler('connection_failed', failed)
    if a.mode == 'plain':
        xmpp.connect((a.host, a.port), disable_starttls=True, force_starttls=False)
    elif a.mode == 'starttls':
        xmpp.connect((a.host, a.port), force_starttls=True)
    else:
        xmpp.connect((a.host, a.port), use_ssl=True, disable_starttls=True, force_starttls=False)
    loop = xmpp.loop
    try:
        loop.run_until_complete(asyncio.wait_for(xmpp.disconnected, a.timeout))
    except asyncio.TimeoutError:
        print('TIMEOUT after', a.timeout, 's', flush=True)
        return 3
    ok = outcome['session'] and outcome['received'] and (outcome['sent'] or not a.send_to) and not outcome['failure']
    print('DONE' if ok else 'INCOMPLETE %s' % outcome, flush=True)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())

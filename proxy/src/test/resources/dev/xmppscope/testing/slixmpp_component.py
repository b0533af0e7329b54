"""A real external component (XEP-0114) for xmppscope's tests: slixmpp's ComponentXMPP connects
to a server's component port, authenticates with the shared secret, and answers the first
message it gets with "pong: BODY" from the address it was sent to. Prints SESSION/RECEIVED lines;
exits 0 only if it answered. Never touches DNS (IP literal + use_aiodns = False)."""
import argparse
import asyncio
import logging
import sys

from slixmpp import ComponentXMPP


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--jid', required=True, help='the component domain')
    p.add_argument('--secret', required=True)
    p.add_argument('--host', required=True)
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--timeout', type=float, default=20)
    p.add_argument('--debug', action='store_true')
    a = p.parse_args()
    logging.basicConfig(level=logging.DEBUG if a.debug else logging.WARNING, stream=sys.stderr)

    xmpp = ComponentXMPP(a.jid, a.secret, a.host, a.port)
    xmpp.use_aiodns = False
    outcome = {'answered': False}

    def session_start(_event):
        print('SESSION', a.jid, flush=True)

    async def answer(msg):
        if outcome['answered'] or not msg['body']:
            return
        outcome['answered'] = True
        print('RECEIVED', msg['from'], msg['body'], flush=True)
        msg.reply('pong: ' + msg['body']).send()
        await asyncio.sleep(0.2)  # let the answer leave before the stream closes
        xmpp.disconnect()

    xmpp.add_event_handler('session_start', session_start)
    xmpp.add_event_handler('message', answer)
    xmpp.connect()
    try:
        xmpp.loop.run_until_complete(asyncio.wait_for(xmpp.disconnected, a.timeout))
    except asyncio.TimeoutError:
        print('TIMEOUT after', a.timeout, 's', flush=True)
    sys.exit(0 if outcome['answered'] else 1)


if __name__ == '__main__':
    main()

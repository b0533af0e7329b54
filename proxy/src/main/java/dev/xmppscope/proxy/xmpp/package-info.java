/**
 * Sans-io XMPP stream logic for the proxy: objects fed bytes as they arrive, in any pieces,
 * returning decisions; no sockets, threads or clocks, so tests read like protocol examples.
 * {@link dev.xmppscope.proxy.xmpp.XmlStreamTracker} follows element structure,
 * {@link dev.xmppscope.proxy.xmpp.StartTlsDetector} finds where TLS begins,
 * {@link dev.xmppscope.proxy.xmpp.PlusMechanismStripper} removes channel-binding mechanisms on
 * intercepted streams, {@link dev.xmppscope.proxy.xmpp.SecretRedactor} masks passwords in what is
 * recorded.
 */
package dev.xmppscope.proxy.xmpp;

/**
 * The recording proxy: {@link dev.xmppscope.proxy.ProxyServer} relays XMPP connections (c2s and
 * s2s) byte for byte along {@link dev.xmppscope.proxy.Route}s, passing TLS through or
 * intercepting it with xmppscope's {@link dev.xmppscope.proxy.CertificateAuthority}, and tells a
 * {@link dev.xmppscope.capture.CaptureSink} (normally the {@link dev.xmppscope.proxy.Recorder},
 * which redacts secrets and writes the H2 capture store) everything it saw.
 *
 * <p>Netty handlers here are thin: the protocol decisions (when TLS starts, which mechanisms to
 * strip, which bytes are secrets) live in the sans-io classes of {@code dev.xmppscope.proxy.xmpp}.
 */
package dev.xmppscope.proxy;

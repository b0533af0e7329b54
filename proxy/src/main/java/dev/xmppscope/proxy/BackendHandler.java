package dev.xmppscope.proxy;

/** The upstream side of a proxied connection: relays what the server sends back to the client. */
final class BackendHandler extends RelayHandler {
    BackendHandler(ProxiedConnection connection) {
        super(connection, ProxiedConnection.Side.SERVER);
    }
}

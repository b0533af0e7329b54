package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.Direction;
import org.junit.jupiter.api.Test;

/** Which hops end a route: the correlator retires those at once instead of holding them for the window. */
class DeliveredTest {
    static final String BOB = "client:bob@b.example/laptop";

    @Test
    void aStanzaReachingTheFullJidItWasSentToIsDelivered() {
        assertTrue(ElementIngest.delivered("c2s", Direction.TO_CLIENT, "message", "bob@b.example/laptop", BOB,
                "bob@b.example/laptop"));
        assertTrue(ElementIngest.delivered("c2s", Direction.TO_CLIENT, "iq", null, BOB, "bob@b.example/laptop"),
                "no 'to': for the client itself");
        assertTrue(ElementIngest.delivered("c2s", Direction.TO_CLIENT, "iq", null, "client:conn-4", null), "even before binding");
    }

    @Test
    void aStanzaThatMayStillReachOtherEntitiesIsNot() {
        assertFalse(ElementIngest.delivered("c2s", Direction.TO_CLIENT, "message", "bob@b.example", BOB, "bob@b.example"),
                "a bare JID: other resources may get copies");
        assertFalse(ElementIngest.delivered("c2s", Direction.TO_CLIENT, "message", "bob@b.example/phone", BOB,
                "bob@b.example/phone"), "another resource's full JID: the server fell back to this one, maybe to more");
        assertFalse(ElementIngest.delivered("s2s", Direction.TO_CLIENT, "message", "bob@b.example/laptop", "server:a.example",
                "bob@b.example/laptop"), "between servers it still has a hop to go");
        assertFalse(ElementIngest.delivered("c2s", Direction.TO_SERVER, "presence", null, "server:b.example", null),
                "a presence without 'to' is broadcast");
        assertFalse(ElementIngest.delivered("c2s", Direction.TO_SERVER, "message", "alice@a.example", "server:b.example",
                "alice@a.example"));
    }

    @Test
    void anIqWithoutToIsAnsweredByTheClientsOwnServer() {
        assertTrue(ElementIngest.delivered("c2s", Direction.TO_SERVER, "iq", null, "server:b.example", null));
        assertFalse(ElementIngest.delivered("c2s", Direction.TO_SERVER, "iq", "alice@a.example/phone", "server:b.example",
                "alice@a.example/phone"));
    }
}

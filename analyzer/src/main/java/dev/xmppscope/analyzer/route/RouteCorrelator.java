package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.negotiation.Durations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Links the sightings of one stanza on successive links (alice's c2s → s2s a→b → bob's c2s)
 * into a {@link StanzaRoute}. A sighting joins a route when it has the same key (kind, type, id,
 * bare from/to, payload digest), leaves the node where an earlier hop of the route arrived, comes
 * no earlier than that hop and within the time window. When two routes would fit equally it
 * joins neither: a missed hop is better than a wrong one. Sans-io: times come from the sightings.
 *
 * <p>A route ends early when a hop brings its stanza to the entity that handles it ({@link
 * Sighting#delivered()}): nothing but a resend can follow that hop. On a busy server most routes
 * are such, and retiring them at once keeps them out of the open set, which otherwise holds every
 * stanza of the window and was most of what the live analysis left for the collector to copy.
 * Retired delivered routes are remembered in primitives ({@link DeliveredRoutes}), so that a
 * resend still joins its route.
 *
 * <p>A groupchat message sent to a room is one route with the copies the room sends to each
 * occupant (XEP-0045 §7.4: same id and payload, from the sender's occupant JID), and so is a
 * presence sent to a room (joining, leaving) with the room's copies of it: each copy continues
 * the route from the server that hosts the room, as does the room's passing on of an invitation sent
 * to it ({@link PayloadDigest#ofInvitation}). That server may appear under the room service's
 * own domain on some links and its own on others (conference.b.example on s2s streams, b.example
 * on its clients' streams); {@code hosts} maps a node to the node of the server hosting it. Any
 * stanza that reached a service may go on from the server hosting it, and one that reached a server
 * from a service it hosts: an external component's stanzas cross its server that way. A
 * message's carbons (XEP-0280), the copies a server makes for its user's other clients, are hops of
 * the message's route too: a carbon leaves the server the message reached, as the message it carries.
 *
 * <p>A message to an offline user waits in their server's storage (XEP-0160) until they log in,
 * however long that is. A chat or normal message whose window passes at a server, before any
 * client got it (but as a carbon), is kept, among the latest {@link #MAX_HELD}, and the copy the
 * server delivers out of its storage ({@link OfflineStorage}) joins its route. So does an
 * invitation through a room (or a decline) that reached no client: the room's message passing it
 * on, out of the storage of its addressee's server. One dropped early to make room for newer
 * routes is not kept.
 */
public final class RouteCorrelator {
    /** How long a server may hold a stanza between two hops and still be matched. */
    public static final long DEFAULT_WINDOW_NANOS = 30_000_000_000L;
    /**
     * The window, if shorter, for a presence without id or payload: matched by type and addresses alone, it is
     * followed only as far as servers pass it on at once (in milliseconds, mostly), so that a later one alike
     * (the same contact going offline again) is not taken for it.
     */
    public static final long UNMARKED_WINDOW_NANOS = 5_000_000_000L;
    /**
     * Open routes kept per key at one node. A key seen more often within the window (a client
     * repeating one id and payload, a hostile peer) cannot tell its copies apart anyway; without a
     * bound every further sighting would test every earlier one, and analysis would turn quadratic.
     */
    static final int MAX_OPEN_PER_KEY = 8;
    /**
     * Routes tracked at once (~0.6 KB of heap each, with their sightings). At a high stanza rate the
     * window would hold millions: beyond this many, the least recently active are archived early
     * (a late hop of theirs is missed). At 10,000 stanzas/s this still spans 5 s.
     */
    static final int MAX_OPEN = 50_000;
    /** Delivered routes remembered for a resend: 2.5 MB, about 8 s of routes at 16,000 deliveries/s. */
    static final int DELIVERED_SLOTS = 1 << 17;
    /** Message routes kept for a delivery out of offline storage (~0.6 KB each, like an open route). */
    static final int MAX_HELD = 10_000;

    private final long window;
    /** The window in words, for every route's explanation (formatting it per route cost 4% of live analysis). */
    private final String windowWords;
    /** The same, for a presence without id or payload ({@link #UNMARKED_WINDOW_NANOS}). */
    private final String unmarkedWords;
    /**
     * Open routes by key and by each node they reached: where a next hop of theirs may leave from.
     * Sized for {@link #MAX_OPEN} routes up front: on a busy capture it fills within seconds, and
     * growing it by doubling (rehashing tens of thousands of entries each time) cost 5% of analysis.
     */
    private final Map<Sighting.Slot, List<Route>> open = new HashMap<>(2 * MAX_OPEN);
    /** Open routes, least recently active first (a list through the routes themselves: no per-activity entries). */
    private Route oldest;
    private Route newest;
    private final Map<String, Route> byRef = new HashMap<>();
    private final RouteArchive archive;
    private int openRoutes;
    /**
     * The route retired last, as archived, so that asking for the route a sighting
     * just completed (the live view does, for nearly every message) needs no archive read and no
     * second view.
     */
    private StanzaRoute lastRetired;
    private final DeliveredRoutes delivered = new DeliveredRoutes(DELIVERED_SLOTS);
    /** Routes whose message may be in a server's offline storage, by their key's wide hash at that server. */
    private final Map<Long, Route> held = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Route> eldest) {
            return size() > MAX_HELD;
        }
    };
    /**
     * Routes of IQ requests and directed presences whose window passed before they reached a client,
     * by the same hash: what a server frozen meanwhile may still pass on ({@link #stalledAt}). Kept
     * apart from {@link #held}: only messages wait in offline storage.
     */
    private final Map<Long, Route> heldIfFrozen = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Route> eldest) {
            return size() > MAX_HELD;
        }
    };
    private final UnaryOperator<String> hosts;
    private final ServerSilences silences;

    public RouteCorrelator() {
        this(DEFAULT_WINDOW_NANOS);
    }

    public RouteCorrelator(long windowNanos) {
        this(windowNanos, RouteArchive.inMemory());
    }

    /** Routes that are no longer tracked go to {@code archive} ({@link #route} still finds them). */
    public RouteCorrelator(long windowNanos, RouteArchive archive) {
        this(windowNanos, archive, UnaryOperator.identity());
    }

    /** As above; {@code hosts} gives the node of the server that hosts a node's domain (itself, mostly). */
    public RouteCorrelator(long windowNanos, RouteArchive archive, UnaryOperator<String> hosts) {
        this.window = windowNanos;
        this.silences = new ServerSilences(windowNanos);
        this.windowWords = Durations.words(windowNanos);
        this.unmarkedWords = Durations.words(Math.min(windowNanos, UNMARKED_WINDOW_NANOS));
        this.archive = archive;
        this.hosts = hosts;
    }

    /**
     * Adds a sighting; if it joined a route (which then has two hops or more), returns the ref of
     * the route's first hop ({@link #route} gives the route).
     */
    public Optional<String> observe(Sighting s) {
        expire(s.at());
        silences.sent(s.source(), s.at());
        if (!s.matchable()) {
            return Optional.empty();
        }
        long window = s.distinctive() ? this.window : Math.min(this.window, UNMARKED_WINDOW_NANOS);
        Sighting.Key key = s.key();
        boolean presence = s.kind().equals("presence");
        Route match = null;
        int fits = 0;
        UnaryOperator<String> place = UnaryOperator.identity();
        List<Route> here = open.getOrDefault(new Sighting.Slot(key, s.source()), List.of());
        for (Route r : here) {
            if (r.canTake(s, window, place)) {
                fits++;
                match = r;
            }
        }
        if (fits == 0) {
            // a server and the services it hosts are one process: what reached one leaves from the
            // other (a message to an external component reaches its domain over s2s, then leaves its server on the component's stream)
            String host = hosts.apply(s.source());
            for (Route r : host.equals(s.source()) ? here : open.getOrDefault(new Sighting.Slot(key, host), List.of())) {
                if (r.canTake(s, window, hosts)) {
                    fits++;
                    match = r;
                    place = hosts;
                }
            }
        }
        if (fits == 0 && s.toBare() != null && presence) {
            // a copy of a broadcast presence (sent without 'to', fanned out to each contact)
            for (Route r : open.getOrDefault(new Sighting.Slot(s.broadcastKey(), s.source()), List.of())) {
                if (r.canTake(s, window, place)) {
                    fits++;
                    match = r;
                }
            }
            if (fits == 1) {
                match.addKey(key);
                for (int i = 0; i < match.hopCount; i++) {
                    register(match, key, match.hops[i].target());
                }
            }
        }
        if (fits == 0 && s.roomCopy() && s.distinctive()) { // an unmarked copy does not name who it copies
            // a room's copy to one occupant: it leaves the server hosting the room, under either of its names
            place = hosts;
            for (Route r : open.getOrDefault(new Sighting.Slot(s.copyKey(), hosts.apply(s.source())), List.of())) {
                if (r.canTake(s, window, place)) {
                    fits++;
                    match = r;
                }
            }
        }
        if (fits == 0 && s.distinctive()) {
            Optional<String> again = s.fromStore() ? joinHeld(s, key) : Optional.empty();
            if (again.isEmpty()) {
                again = joinDelivered(s, key);
            }
            if (again.isPresent()) {
                return again;
            }
            match = stalledAt(s, key);
            fits = match == null ? 0 : 1;
        }
        if (fits == 1) {
            add(match, s, place);
            if (s.delivered() && match.keys.length == 1) {
                retire(match); // delivered where it was addressed: only a resend of it, or a late carbon, can follow
                rememberDelivered(match, key, s);
                return Optional.of(match.hops[0].ref());
            }
            byRef.put(s.ref(), match);
            if (match.hopCount == 2 || match.stalledFor > 0) {
                for (int i = 0; i < match.hopCount; i++) {
                    byRef.put(match.hops[i].ref(), match);
                }
            }
            touch(match);
            return Optional.of(match.hops[0].ref());
        }
        if (s.delivered()) {
            return Optional.empty(); // already at its addressee: a route starting here could never grow
        }
        Route fresh = new Route(key);
        if (fits > 1) {
            fresh.ambiguous = fits;
        }
        if (s.toBare() == null && presence) {
            fresh.addKey(s.broadcastKey());
        }
        if (s.toRoom() && s.distinctive()) {
            fresh.addKey(s.roomKey());
            fresh.toRoom = true;
        }
        add(fresh, s, place);
        openRoutes++;
        touch(fresh);
        return Optional.empty();
    }

    /**
     * Keeps the route {@code r}, just delivered by {@code s}, findable at every server it reached:
     * a resend leaves the server that delivered it, but a carbon may come late from another (the
     * sender's server copies what it sent to its user's other clients while the message travels on).
     */
    private void rememberDelivered(Route r, Sighting.Key key, Sighting s) {
        String first = r.hops[0].ref();
        delivered.remember(key.wideHash(s.source()), first, s.at());
        for (int i = 0; i < r.hopCount - 1; i++) {
            String node = r.hops[i].target();
            if (!node.startsWith(GraphNode.CLIENT_ID_PREFIX) && !node.equals(s.source())) {
                delivered.remember(key.wideHash(node), first, s.at());
            }
        }
    }

    /**
     * Adds a sighting to the delivered route it repeats (the same stanza leaving the same node again
     * within the window, on another link: a resend on a resumed stream, from the server that
     * delivered it; or a carbon, from any server it reached), if there is one. The route stays
     * archived.
     */
    private Optional<String> joinDelivered(Sighting s, Sighting.Key key) {
        long wide = key.wideHash(s.source());
        String first = delivered.find(wide, s.at(), window);
        StanzaRoute earlier = first == null ? null : archive.find(first).orElse(null);
        if (earlier == null) {
            return Optional.empty();
        }
        Integer after = null;
        boolean deliveredHere = false;
        List<StanzaRoute.Hop> hops = new ArrayList<>(earlier.hops());
        for (int i = 0; i < hops.size(); i++) {
            StanzaRoute.Hop h = hops.get(i);
            if (h.connection() == s.connection()) {
                return Optional.empty(); // the same link again is a different stanza
            }
            if (h.target().equals(s.source()) && h.at() <= s.at() && (after == null || h.at() >= hops.get(after).at())) {
                after = i; // the latest to reach the node it leaves (the hops are in tree order, not time order)
            }
            deliveredHere |= h.source().equals(s.source()) && h.target().startsWith(GraphNode.CLIENT_ID_PREFIX);
        }
        if (after == null || !s.carbon() && !deliveredHere) {
            return Optional.empty();
        }
        hops.add(new StanzaRoute.Hop(s.ref(), s.connection(), s.source(), s.target(), s.at(),
                s.at() - hops.get(after).at(), after, s.carbon() ? StanzaRoute.Hop.CARBON : StanzaRoute.Hop.RESENT, s.to()));
        archive.save(new StanzaRoute(RouteTree.ordered(hops), earlier.confidence(), earlier.explanation()
                + (s.carbon() ? "; a carbon (XEP-0280) to another client on connection " : "; delivered again on connection ")
                + s.connection()));
        delivered.remember(wide, first, s.at());
        lastRetired = null; // it would answer for this route without the new hop
        return Optional.of(first);
    }

    /**
     * Adds a message delivered out of offline storage to the route that brought it to the server,
     * if that route's window has passed (else it is still open and joined as any hop). The route,
     * which may have had a single hop until now, goes to the archive with this one. An invitation
     * (or decline) a room passed on is found as the room's copies are: by the room, at the server
     * hosting the place it is delivered from.
     */
    private Optional<String> joinHeld(Sighting s, Sighting.Key key) {
        boolean passedOn = s.roomCopy();
        Sighting.Key k = passedOn ? s.copyKey() : key;
        UnaryOperator<String> place = passedOn ? hosts : UnaryOperator.identity();
        long wide = k.wideHash(place.apply(s.source()));
        Route r = held.get(wide);
        if (r == null || !r.hasKey(k) || s.at() < r.lastAt) {
            return Optional.empty();
        }
        held.remove(wide);
        r.add(s, place);
        StanzaRoute view = r.view(windowWords, unmarkedWords);
        archive.save(view);
        lastRetired = view;
        return Optional.of(r.hops[0].ref());
    }

    /**
     * The route, kept for offline storage ({@link #hold}), of a message that {@code s} passes on past
     * the window from a server that sent nothing at all from before the message reached it until just
     * now (frozen, or stalled): its window counts from when that server began sending again. The
     * route is tracked again, as open. Null if there is none.
     */
    private Route stalledAt(Sighting s, Sighting.Key key) {
        long resumed = silences.resumed(s.source(), s.at());
        if (resumed < 0) {
            return null;
        }
        long wide = key.wideHash(s.source());
        Map<Long, Route> from = held.containsKey(wide) ? held : heldIfFrozen;
        Route r = from.get(wide);
        if (r == null || !r.hasKey(key) || silences.silentSince(s.source()) > r.lastAt) {
            return null;
        }
        from.remove(wide);
        r.slotCount = 0; // its slots were dropped from the open set when it was retired
        r.stalledFor = resumed - r.lastAt;
        r.stalledAt = s.source();
        openRoutes++;
        lastRetired = null; // it may answer for this route without its new hops
        return r;
    }

    /**
     * Keeps a route whose window has passed if its message may now wait in the storage of the
     * server its last hop reached: a chat or normal message, to one addressee, that reached no
     * client but as a carbon (one to a bare JID that did is not kept: on a busy server those would
     * crowd out the messages really stored). An IQ request or a directed presence (available or
     * unavailable) that reached no client is kept only for a server frozen meanwhile ({@link #heldIfFrozen}).
     */
    private void hold(Route r) {
        Sighting first = r.hops[0];
        Sighting last = r.hops[r.hopCount - 1];
        if (reachedAClient(r)) {
            return;
        }
        boolean request = first.kind().equals("iq") && (first.type().equals("get") || first.type().equals("set"));
        // not a subscription request or answer: servers store those for a contact offline, and deliver them at login
        boolean directed = first.kind().equals("presence") && first.toBare() != null
                && (first.type().equals("available") || first.type().equals("unavailable"));
        if (r.keys.length == 1 && !r.toRoom && (request || directed)) {
            heldIfFrozen.put(r.keys[0].wideHash(last.target()), r);
            return;
        }
        if (!first.kind().equals("message") || !(first.type().equals("chat") || first.type().equals("normal"))) {
            return;
        }
        if (r.keys.length == 1 && !r.toRoom) {
            held.put(r.keys[0].wideHash(last.target()), r);
        } else if (first.copying() == Copying.INVITATION || first.copying() == Copying.DECLINE) {
            // the room passed it on to someone offline, whose server (maybe the room's own) keeps the room's message
            held.put(first.roomKey().wideHash(hosts.apply(last.target())), r);
        }
    }

    private static boolean reachedAClient(Route r) {
        for (int i = 0; i < r.hopCount; i++) {
            if (!r.hops[i].carbon() && r.hops[i].target().startsWith(GraphNode.CLIENT_ID_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds a hop to a route, which continues it from where {@code place} says an earlier hop
     * arrived; the route can now be continued from where this hop arrived (a room's copies, from
     * the server hosting that place). A room's copy goes on under its own key only: a room with
     * hundreds of occupants would otherwise file every copy's key at every copy's hop.
     */
    private void add(Route r, Sighting s, UnaryOperator<String> place) {
        r.add(s, place);
        if (r.toRoom && !s.toRoom()) { // a copy, or its delivery
            register(r, s.key(), s.target());
            return;
        }
        String host = hosts.apply(s.target());
        for (Sighting.Key key : r.keys) { // usually one
            register(r, key, key.room() ? host : s.target());
            if (!key.room() && !host.equals(s.target())) {
                register(r, key, host); // reached a service: it may leave from the server hosting it (see observe)
            }
        }
    }

    /** Files a route under a key at a node, once; beyond {@link #MAX_OPEN_PER_KEY} the oldest there stops taking hops. */
    private void register(Route r, Sighting.Key key, String node) {
        Sighting.Slot slot = new Sighting.Slot(key, node);
        if (!r.addSlot(slot)) {
            return;
        }
        List<Route> routes = open.computeIfAbsent(slot, k -> new ArrayList<>(1));
        routes.add(r);
        if (routes.size() > MAX_OPEN_PER_KEY) {
            routes.remove(0);
        }
    }

    /** The route (two hops or more) the stanza {@code ref} is part of. */
    public Optional<StanzaRoute> route(String ref) {
        Route r = byRef.get(ref);
        if (r != null) {
            return Optional.of(r.view(windowWords, unmarkedWords));
        }
        if (lastRetired != null && hasHop(lastRetired, ref)) {
            return Optional.of(lastRetired);
        }
        return archive.find(ref);
    }

    /**
     * The routes {@link #route} answers from memory rather than from its archive: the one retired
     * last and those still open (two hops or more), as it gives them. A kept analysis stores them
     * beside the archive, to answer as this correlator does at the end of its capture.
     */
    public List<StanzaRoute> inMemory() {
        List<StanzaRoute> out = new ArrayList<>();
        if (lastRetired != null) {
            out.add(lastRetired);
        }
        Set<Route> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Route r : byRef.values()) {
            if (seen.add(r)) {
                out.add(r.view(windowWords, unmarkedWords));
            }
        }
        return out;
    }

    private static boolean hasHop(StanzaRoute route, String ref) {
        for (StanzaRoute.Hop h : route.hops()) {
            if (h.stanzaRef().equals(ref)) {
                return true;
            }
        }
        return false;
    }

    /** Records activity on a route: it moves to the newest end of the expiry order. */
    private void touch(Route r) {
        unlink(r);
        r.older = newest;
        if (newest != null) {
            newest.newer = r;
        }
        newest = r;
        if (oldest == null) {
            oldest = r;
        }
    }

    private void unlink(Route r) {
        if (r.older != null) {
            r.older.newer = r.newer;
        } else if (oldest == r) {
            oldest = r.newer;
        }
        if (r.newer != null) {
            r.newer.older = r.older;
        } else if (newest == r) {
            newest = r.older;
        }
        r.older = null;
        r.newer = null;
    }

    /** Stops tracking the routes whose window has passed, and the least recently active beyond {@link #MAX_OPEN}. */
    private void expire(long now) {
        while (oldest != null && (oldest.lastAt < now - window || openRoutes > MAX_OPEN)) {
            Route r = oldest;
            retire(r);
            if (r.lastAt < now - window) {
                hold(r); // not one dropped early for room: a flood would churn the held routes at every stanza
            }
        }
    }

    /** Stops tracking an open route; one of two hops or more goes to the archive. */
    private void retire(Route r) {
        unlink(r);
        openRoutes--;
        for (int i = 0; i < r.slotCount; i++) {
            Sighting.Slot slot = r.slots[i];
            List<Route> list = open.get(slot);
            if (list != null) {
                list.remove(r);
                if (list.isEmpty()) {
                    open.remove(slot);
                }
            }
        }
        if (r.hopCount > 1) {
            StanzaRoute view = r.view(windowWords, unmarkedWords);
            archive.save(view);
            for (int i = 0; i < r.hopCount; i++) {
                byRef.remove(r.hops[i].ref());
            }
            lastRetired = view;
        }
    }

    /**
     * An open route. Arrays, not lists: tens of thousands are open at once and most never get a
     * second hop, so their size is what every young collection copies.
     */
    private static final class Route {
        Sighting.Key[] keys;
        Sighting.Slot[] slots = new Sighting.Slot[1];
        int slotCount;
        Sighting[] hops = new Sighting[1];
        /** The index of the hop each one continues; -1 for the first. */
        int[] after = new int[1];
        int hopCount;
        long lastAt;
        int ambiguous;
        /** Sent to a chat room: the hops of the room's copies follow. */
        boolean toRoom;
        /**
         * Where the stanza waited past the window, in a server that sent nothing at all meanwhile
         * ({@link RouteCorrelator#stalledAt}); else null.
         */
        String stalledAt;
        /** From the stanza's reaching that server until it sent again; 0 if it never stalled. */
        long stalledFor;
        /** Neighbours in the expiry order while open. */
        Route older;
        Route newer;

        Route(Sighting.Key key) {
            keys = new Sighting.Key[] {key};
        }

        boolean hasKey(Sighting.Key key) {
            for (Sighting.Key k : keys) {
                if (k.equals(key)) {
                    return true;
                }
            }
            return false;
        }

        void addKey(Sighting.Key key) {
            keys = Arrays.copyOf(keys, keys.length + 1);
            keys[keys.length - 1] = key;
        }

        /** Files the route under {@code slot}; false if it already is. */
        boolean addSlot(Sighting.Slot slot) {
            for (int i = 0; i < slotCount; i++) {
                if (slots[i].equals(slot)) {
                    return false;
                }
            }
            if (slotCount == slots.length) {
                slots = Arrays.copyOf(slots, slotCount * 2);
            }
            slots[slotCount++] = slot;
            return true;
        }

        boolean canTake(Sighting s, long window, UnaryOperator<String> place) {
            for (int i = hopCount - 1; i >= 0; i--) {
                Sighting h = hops[i];
                if (h.connection() == s.connection() && h.source().equals(s.source())
                        && java.util.Objects.equals(h.toBare(), s.toBare()) && !s.replay()) {
                    // a stanza does not cross the same link the same way twice (broadcast copies differ in 'to'), but
                    // comes back to a sender who is its addressee, and its sender's server may replay a presence again
                    return false;
                }
            }
            return from(s, window, place) >= 0;
        }

        /**
         * The hop {@code s} continues: the latest one that arrived where {@code s} leaves from (as
         * {@code place} names nodes), preferring one to the same addressee: where copies fanned out
         * over one link (a room's to alice and to dave, both to a.example), each delivery continues its own.
         */
        int from(Sighting s, long window, UnaryOperator<String> place) {
            String leaves = place.apply(s.source());
            int any = -1;
            for (int i = hopCount - 1; i >= 0; i--) {
                Sighting h = hops[i];
                if (place.apply(h.target()).equals(leaves) && s.at() >= h.at() && s.at() - h.at() <= window) {
                    if (java.util.Objects.equals(h.toBare(), s.toBare())) {
                        return i;
                    }
                    any = any < 0 ? i : any;
                }
            }
            return any;
        }

        void add(Sighting s, UnaryOperator<String> place) {
            if (hopCount == hops.length) {
                hops = Arrays.copyOf(hops, hopCount * 2);
                after = Arrays.copyOf(after, hopCount * 2);
            }
            after[hopCount] = hopCount == 0 ? -1 : from(s, Long.MAX_VALUE, place);
            hops[hopCount++] = s;
            lastAt = Math.max(lastAt, s.at());
        }

        /** Whether more than one hop continues hop {@code previous} (counted in {@code branches}, null if none can). */
        private static boolean fannedOut(int[] branches, int previous) {
            return branches != null && previous >= 0 && branches[previous] > 1;
        }

        /** What made hop {@code h}, which continues {@code from}: a room's copy is made once, then relayed as any stanza. */
        private static String how(Sighting h, Sighting from) {
            if (h.fromStore()) {
                return StanzaRoute.Hop.FROM_STORAGE;
            }
            return switch (h.copying()) {
                case FROM_ROOM -> from != null && from.roomCopy() ? null : StanzaRoute.Hop.ROOM_COPY;
                case ROOM_HISTORY -> from != null && from.roomCopy() ? null : StanzaRoute.Hop.FROM_HISTORY;
                case TO_NEWCOMER -> from != null && from.roomCopy() ? null : StanzaRoute.Hop.TO_NEWCOMER;
                case ROOM_INVITATION, ROOM_DECLINE -> passedOnBy(h, from);
                case CARBON -> StanzaRoute.Hop.CARBON;
                case REPLAY -> from != null && from.replay() ? null : StanzaRoute.Hop.REPLAYED;
                case NONE, TO_ROOM, INVITATION, DECLINE -> null;
            };
        }

        /**
         * {@link StanzaRoute.Hop#ROOM_INVITATION} or {@link StanzaRoute.Hop#ROOM_DECLINE} if hop
         * {@code h} is where the room passed one on (it may be a delivery out of storage as well: the
         * room's message to someone offline on its own server is not seen until then); else null.
         */
        private static String passedOnBy(Sighting h, Sighting from) {
            if (from != null && from.roomCopy()) {
                return null;
            }
            return switch (h.copying()) {
                case ROOM_INVITATION -> StanzaRoute.Hop.ROOM_INVITATION;
                case ROOM_DECLINE -> StanzaRoute.Hop.ROOM_DECLINE;
                default -> null;
            };
        }

        /** The route as the model shows it; what its hops say they are (copies, carbons, ...) is counted in its explanation. */
        StanzaRoute view(String windowWords, String unmarkedWords) {
            List<StanzaRoute.Hop> out = new ArrayList<>(hopCount);
            int[] branches = hopCount > 2 ? new int[hopCount] : null; // how many hops continue each, where any can fan out
            for (int i = 1; branches != null && i < hopCount; i++) {
                branches[after[i]]++;
            }
            int copies = 0;
            int carbons = 0;
            int replays = 0;
            int fromHistory = 0;
            int toNewcomers = 0;
            String passedOn = null; // the room's invitation or decline
            Long storedFor = null; // from the hop that reached the server to the delivery out of its storage
            for (int i = 0; i < hopCount; i++) {
                Sighting h = hops[i];
                int previous = after[i];
                Sighting from = previous < 0 ? null : hops[previous];
                String how = how(h, from);
                // a replay out of a cache or a room's history is a new delivery, however long after the stanza came
                boolean anew = StanzaRoute.Hop.REPLAYED.equals(how) || StanzaRoute.Hop.FROM_HISTORY.equals(how)
                        || StanzaRoute.Hop.TO_NEWCOMER.equals(how);
                Long held = previous < 0 || anew ? null : h.at() - hops[previous].at();
                out.add(new StanzaRoute.Hop(h.ref(), h.connection(), h.source(), h.target(), h.at(), held,
                        previous < 0 ? null : previous, how, fannedOut(branches, previous) ? h.to() : null));
                passedOn = passedOn != null ? passedOn : passedOnBy(h, from);
                if (StanzaRoute.Hop.ROOM_COPY.equals(how)) {
                    copies++;
                } else if (StanzaRoute.Hop.CARBON.equals(how)) {
                    carbons++;
                } else if (StanzaRoute.Hop.FROM_STORAGE.equals(how)) {
                    storedFor = held;
                } else if (StanzaRoute.Hop.REPLAYED.equals(how)) {
                    replays++;
                } else if (StanzaRoute.Hop.FROM_HISTORY.equals(how)) {
                    fromHistory++;
                } else if (StanzaRoute.Hop.TO_NEWCOMER.equals(how)) {
                    toNewcomers++;
                }
            }
            Sighting first = hops[0];
            boolean payload = first.digest() != PayloadDigest.EMPTY;
            boolean unmarked = !first.distinctive();
            double confidence = first.id() != null ? (payload ? 1.0 : 0.9) : unmarked ? 0.6 : 0.7;
            StringBuilder why = new StringBuilder(200); // one buffer: every route in front of a server gets this text
            if (first.id() != null) {
                why.append("same id '").append(first.id()).append("', ");
            } else {
                why.append("no id; ");
            }
            why.append("type ").append(first.type()).append(", from ").append(unmarked ? first.from() : first.fromBare());
            // a presence broadcast to the sender's contacts names none
            if (first.toBare() == null) {
                why.append(", to no one in particular (a broadcast)");
            } else {
                why.append(" to ").append(unmarked && first.to() != null ? first.to() : first.toBare());
            }
            why.append(switch (first.copying()) {
                case INVITATION -> ", the same invitation (invitee and reason)";
                case DECLINE -> ", the same decline (who declined, and reason)";
                default -> payload ? ", same payload" : unmarked ? ", no payload: nothing but these tells it from another alike"
                        : ", no payload";
            });
            why.append("; each hop leaves the server the previous one reached, within ")
                    .append(unmarked ? unmarkedWords : windowWords);
            if (unmarked) {
                why.append(" (a presence alike later on is another), and crosses no link the same way twice");
            }
            if (copies > 0) {
                why.append("; the room sent ").append(copies).append(copies == 1 ? " copy" : " copies")
                        .append(" to its occupants, from the server that hosts it");
            }
            if (passedOn != null) {
                why.append(StanzaRoute.Hop.ROOM_INVITATION.equals(passedOn)
                        ? "; the room passed the invitation on to its invitee" : "; the room passed the decline on to the inviter")
                        .append(" as a message of its own (XEP-0045 §7.8.2), from the server that hosts it");
            }
            if (carbons > 0) {
                why.append("; ").append(carbons).append(carbons == 1 ? " carbon" : " carbons")
                        .append(" (XEP-0280) to other clients of its sender or addressee");
            }
            if (fromHistory > 0) {
                why.append("; the room sent ").append(fromHistory).append(fromHistory == 1 ? " copy" : " copies")
                        .append(" out of its history (XEP-0045 §7.2.15) to occupants who joined later: new deliveries, not holds");
            }
            if (toNewcomers > 0) {
                why.append("; the room sent it ").append(toNewcomers).append(toNewcomers == 1 ? " time" : " times")
                        .append(" to someone who joined later, as it tells each newcomer who is there (XEP-0045 §7.2.3):")
                        .append(" new deliveries, not holds");
            }
            if (replays > 0) {
                why.append("; its sender's server sent it again out of its presence cache ").append(replays)
                        .append(replays == 1 ? " time" : " times")
                        .append(" (stamped with a delay, XEP-0203) to someone who asked later: a new delivery, not a hold");
            }
            if (stalledFor > 0) {
                why.append("; ").append(stalledAt.substring(stalledAt.indexOf(':') + 1)).append(" sent nothing at all for ")
                        .append(Durations.words(stalledFor)).append(" after it reached it (frozen or stalled), then passed it on:")
                        .append(" matched past the window, which counts from when that server sent again");
            }
            if (storedFor != null) {
                why.append("; kept in offline storage (XEP-0160) while its addressee was away, delivered ")
                        .append(Durations.words(storedFor)).append(" after it reached their server");
            }
            if (ambiguous > 0) {
                why.append("; an earlier sighting fit ").append(ambiguous).append(" routes and was left unlinked");
                confidence = Math.min(confidence, 0.5);
            }
            return new StanzaRoute(RouteTree.ordered(out), confidence, why.toString());
        }
    }
}

package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.model.StanzaRoute;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Orders a route's hops as its tree reads, so that numbering them down the tree counts up: each
 * hop after the one it continues, the branches where a server copied the stanza (a room's copy to
 * each occupant, a broadcast to each contact) in the order they left it, each branch whole before
 * the next. Time order would interleave the branches (the delivery of the first copy coming after
 * the second copy left), and the tree would then number its rows out of order.
 */
final class RouteTree {
    private RouteTree() {
    }

    /** {@code hops} (each naming the earlier hop it continues, by index) in tree order, renumbered; as given when a chain. */
    static List<StanzaRoute.Hop> ordered(List<StanzaRoute.Hop> hops) {
        int n = hops.size();
        if (chain(hops)) {
            return hops;
        }
        int[] firstChild = new int[n];
        int[] lastChild = new int[n];
        int[] nextSibling = new int[n];
        Arrays.fill(firstChild, -1);
        Arrays.fill(nextSibling, -1);
        List<Integer> roots = new ArrayList<>(1);
        for (int i = 0; i < n; i++) {
            Integer after = hops.get(i).after();
            if (after == null || after < 0 || after >= i) {
                roots.add(i);
            } else if (firstChild[after] < 0) {
                firstChild[after] = i;
                lastChild[after] = i;
            } else {
                nextSibling[lastChild[after]] = i;
                lastChild[after] = i;
            }
        }
        int[] order = new int[n];
        int[] position = new int[n];
        int placed = 0;
        int[] stack = new int[n];
        for (int root : roots) {
            int depth = 0;
            stack[depth++] = root;
            while (depth > 0) {
                int i = stack[--depth];
                position[i] = placed;
                order[placed++] = i;
                // children pushed last first, so that the earliest is taken next
                int count = 0;
                for (int c = firstChild[i]; c >= 0; c = nextSibling[c]) {
                    count++;
                }
                int at = depth + count;
                for (int c = firstChild[i]; c >= 0; c = nextSibling[c]) {
                    stack[--at] = c;
                }
                depth += count;
            }
        }
        List<StanzaRoute.Hop> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            StanzaRoute.Hop h = hops.get(order[k]);
            Integer after = h.after();
            out.add(after == null || after < 0 || after >= order[k] ? h : h.withAfter(position[after]));
        }
        return out;
    }

    private static boolean chain(List<StanzaRoute.Hop> hops) {
        for (int i = 1; i < hops.size(); i++) {
            Integer after = hops.get(i).after();
            if (after == null || after != i - 1) {
                return false;
            }
        }
        return true;
    }
}

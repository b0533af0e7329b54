package dev.xmppscope.replay.live;

import java.util.ArrayList;
import java.util.List;

/** A line diff by longest common subsequence: {@code "  "} same, {@code "- "} only recorded, {@code "+ "} only now. */
final class LineDiff {
    private LineDiff() {
    }

    static List<String> diff(List<String> recorded, List<String> now) {
        int n = recorded.size();
        int m = now.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = recorded.get(i).equals(now.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n && j < m) {
            if (recorded.get(i).equals(now.get(j))) {
                out.add("  " + recorded.get(i++));
                j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                out.add("- " + recorded.get(i++));
            } else {
                out.add("+ " + now.get(j++));
            }
        }
        while (i < n) {
            out.add("- " + recorded.get(i++));
        }
        while (j < m) {
            out.add("+ " + now.get(j++));
        }
        return out;
    }

    static boolean same(List<String> diff) {
        return diff.stream().allMatch(l -> l.startsWith("  "));
    }
}

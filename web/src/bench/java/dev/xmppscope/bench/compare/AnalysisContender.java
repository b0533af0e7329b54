package dev.xmppscope.bench.compare;

import java.nio.file.Path;

/** Something that analyzes a stored capture; returns how many stanzas it saw (a sanity check). */
interface AnalysisContender {
    String name();

    long analyze(Path captureDb) throws Exception;
}

package dev.xmppscope.web.worker;

/** The live analysis cannot answer now (its worker stopped, or is starved of CPU); the web API answers 503. */
public final class AnalysisUnavailableException extends RuntimeException {
    public AnalysisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.xmppscope.web.cli;

import dev.xmppscope.capture.CaptureStoreException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints failures as one clear line (with causes) instead of a stack trace; set
 * XMPPSCOPE_DEBUG=1 to get the trace too.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        StringBuilder msg = new StringBuilder("xmppscope: ").append(ex.getMessage() == null ? ex.toString() : ex.getMessage());
        // a storage failure's message already carries the reason; its causes are H2's wrappers of it
        Throwable first = ex instanceof CaptureStoreException ? null : ex.getCause();
        for (Throwable c = first; c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !msg.toString().contains(c.getMessage())) {
                msg.append("\n  caused by: ").append(c.getMessage());
            }
        }
        if (CaptureStoreException.diskFull(ex)) {
            msg.append("\nxmppscope: free some space on that disk, or use one with room (a capture moves with its .mv.db"
                    + " and .payloads files)");
        }
        cl.getErr().println(cl.getColorScheme().errorText(msg.toString()));
        if (System.getenv("XMPPSCOPE_DEBUG") != null) {
            ex.printStackTrace(cl.getErr());
        }
        return cl.getExitCodeExceptionMapper() != null ? cl.getExitCodeExceptionMapper().getExitCode(ex) : 1;
    }
}

package dev.xmppscope.web.cli;

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
        for (Throwable c = ex.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !msg.toString().contains(c.getMessage())) {
                msg.append("\n  caused by: ").append(c.getMessage());
            }
        }
        cl.getErr().println(cl.getColorScheme().errorText(msg.toString()));
        if (System.getenv("XMPPSCOPE_DEBUG") != null) {
            ex.printStackTrace(cl.getErr());
        }
        return cl.getExitCodeExceptionMapper() != null ? cl.getExitCodeExceptionMapper().getExitCode(ex) : 1;
    }
}

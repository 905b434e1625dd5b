package dev.resilience.pool;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of the test JVM (at every logger's effective level) so tests can assert
 * what was logged and that no secret was. Installed once per JVM; thread-safe.
 */
final class LogCapture {

    private static final ListAppender<ILoggingEvent> APPENDER = install();

    private LogCapture() {
    }

    private static ListAppender<ILoggingEvent> install() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(context);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return appender;
    }

    /** Makes sure capturing has started. */
    static void start() {
        APPENDER.isStarted();
    }

    /** Every line captured so far, with its throwable chain's messages, in order. */
    static List<String> lines() {
        List<ILoggingEvent> events;
        synchronized (APPENDER) {
            events = new ArrayList<>(APPENDER.list);
        }
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : events) {
            StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** The captured lines that contain {@code text}. */
    static List<String> linesContaining(String text) {
        List<String> matching = new ArrayList<>();
        for (String line : lines()) {
            if (line.contains(text)) {
                matching.add(line);
            }
        }
        return matching;
    }
}

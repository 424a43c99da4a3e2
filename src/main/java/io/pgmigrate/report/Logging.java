package io.pgmigrate.report;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logging set-up: the console level from --log-level, and a debug log file per run in the state folder. */
public final class Logging {
    private Logging() {
    }

    /** Whether logback knows this level (any case; off and all too): it reads any other name as debug. */
    public static boolean isLevel(String level) {
        return level != null && Level.toLevel(level, null) != null;
    }

    /** Sets the console's threshold (error, warn, info, debug, trace). */
    public static void consoleLevel(String level) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var console = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        ThresholdFilter filter = new ThresholdFilter();
        filter.setLevel(level);
        filter.start();
        console.clearAllFilters();
        console.addFilter(filter);
    }

    /** Adds {@code <dir>/pg-migrate-<timestamp>.log}; returns its path. */
    public static Path fileIn(Path dir) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Path file = dir.resolve("pg-migrate-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".log");
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{ISO8601} %-5level [%thread] %replace([%X{db}] ){'\\[\\] ', ''}%logger{20} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("RUNFILE");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return file;
    }
}

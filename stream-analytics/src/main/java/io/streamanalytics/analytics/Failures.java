package io.streamanalytics.analytics;

import java.util.Locale;

/** Turns a failed query's exception into a message that tells the operator what happened and what to do. */
final class Failures {

    private Failures() {}

    static String explain(String pipeline, String checkpoint, String startingOffsets, Throwable failure) {
        if (isKafkaDataLoss(failure)) {
            return offsetsGone(
                    pipeline,
                    checkpoint,
                    startingOffsets,
                    "the input topic was deleted and recreated, "
                            + "or its records expired before they were processed");
        }
        return "Pipeline " + pipeline + " failed: " + rootMessage(failure) + " (checkpoint " + checkpoint + ")";
    }

    /** The one wording, at start-up check and at run time, for a checkpoint pointing at vanished records. */
    static String offsetsGone(String pipeline, String checkpoint, String startingOffsets, String detail) {
        return "Pipeline " + pipeline + " stopped: its checkpoint " + checkpoint + " refers to Kafka offsets that "
                + "no longer exist (" + detail + "). To start this pipeline over from STARTING_OFFSETS="
                + startingOffsets + ", stop the analytics and delete " + checkpoint + "; results re-sent then "
                + "replace the old ones on the compacted result topic.";
    }

    static boolean isKafkaDataLoss(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("faildataloss")
                    || message.contains("failondataloss")
                    || message.contains("kafka_data_loss")
                    || message.contains("some data may have been missed")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}

package io.streamanalytics.simulator.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.EventType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * The endless, deterministic sequence of records of one topic: the same seed, start time and settings give the
 * same bytes, keys and timestamps on every run, whatever the other streams do (each stream has its own random
 * sources, one for content and one for timing, so changing the disorder does not change the events' content).
 */
public final class EventStream<E extends Event> implements Iterator<SimRecord> {

    private static final long PARTS_PER_MILLION = 1_000_000;

    private final EventType topic;
    private final EventFactory<E> factory;
    private final StreamSettings settings;
    private final Instant start;
    private final SplittableRandom contentRandom;
    private final SplittableRandom timingRandom;
    private final Malformer malformer;
    private final long malformedPpm;
    /** Resolved once: looking the serializer up per event costs more than writing the event. */
    private final ObjectWriter writer;

    private long sequence;
    private long offsetNanos;

    public EventStream(EventType topic, EventFactory<E> factory, StreamSettings settings, long seed, Instant start) {
        this.topic = topic;
        this.factory = factory;
        this.settings = settings;
        this.start = start;
        long streamSeed = seed * 0x9E3779B97F4A7C15L + topic.topicName().hashCode();
        this.contentRandom = new SplittableRandom(streamSeed);
        this.timingRandom = new SplittableRandom(~streamSeed);
        this.malformer = new Malformer(topic);
        this.malformedPpm = Math.round(settings.malformedFraction() * PARTS_PER_MILLION);
        this.writer = Json.MAPPER.writerFor(topic.recordClass());
    }

    public EventType topic() {
        return topic;
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public SimRecord next() {
        Instant nominal = start.plusNanos(offsetNanos);
        Instant eventTime = shift(nominal).truncatedTo(ChronoUnit.MILLIS);
        E event = factory.create(eventTime, sequence, contentRandom);
        String key = topic.key(event);
        SimRecord record;
        if (isMalformed(sequence)) {
            MalformedKind kind = malformer.nextKind();
            byte[] broken = malformer.malform(Json.MAPPER.valueToTree(event));
            record = new SimRecord(topic, key, broken, eventTime, nominal, null, kind);
        } else {
            record = new SimRecord(topic, key, serialise(event), eventTime, nominal, event, null);
        }
        sequence++;
        advance();
        return record;
    }

    private byte[] serialise(E event) {
        try {
            return writer.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event, e);
        }
    }

    /** Exact fraction by accumulation: record i is malformed when floor((i+1)f) passes floor(i f). */
    private boolean isMalformed(long i) {
        return (i + 1) * malformedPpm / PARTS_PER_MILLION > i * malformedPpm / PARTS_PER_MILLION;
    }

    private Instant shift(Instant nominal) {
        Disorder disorder = settings.disorder();
        double u = timingRandom.nextDouble();
        if (u < disorder.lateFraction()) {
            long lateBy = disorder.lateBy().toNanos();
            return nominal.minusNanos(lateBy + (long) (timingRandom.nextDouble() * lateBy));
        }
        if (u < disorder.lateFraction() + disorder.outOfOrderFraction()) {
            return nominal.minusNanos(
                    (long) (timingRandom.nextDouble() * disorder.outOfOrderMax().toNanos()));
        }
        return nominal;
    }

    private void advance() {
        TrafficShape shape = settings.shape();
        offsetNanos += (long) (1e9 / shape.rateAt(offsetNanos));
        if (shape.rateAt(offsetNanos) == 0) {
            offsetNanos = shape.idleEnd(offsetNanos);
        }
    }
}

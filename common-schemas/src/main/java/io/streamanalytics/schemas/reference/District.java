package io.streamanalytics.schemas.reference;

/** A district of Portugal (or an autonomous region) with its 2011 census population. */
public record District(String name, long population) {}

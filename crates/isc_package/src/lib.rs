//! Builds and validates the Elastic integration package from its sources.

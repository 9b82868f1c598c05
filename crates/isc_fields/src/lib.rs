//! Field definitions (fields.yml) and the ECS reference they resolve against.

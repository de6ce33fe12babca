-- The pixel convention the run's model expects (see src/shared/input-scale.ts): '1' for values in
-- [0, 1] (every model trained here), '255' for raw pixels, 'inverted' for dark ink on light,
-- 'centered' for x/255 − 0.5.
ALTER TABLE runs ADD COLUMN input_scale TEXT NOT NULL DEFAULT '1'
  CHECK (input_scale IN ('1', '255', 'inverted', 'centered'));

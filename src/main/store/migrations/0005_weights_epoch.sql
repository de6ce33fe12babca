-- The epoch whose weights the run's saved model holds when "restore the best epoch's weights" put
-- them back at the end of training (Keras's restore_best_weights); NULL when the model holds the
-- weights from the end of training.
ALTER TABLE runs ADD COLUMN weights_epoch INTEGER CHECK (weights_epoch IS NULL OR weights_epoch >= 1);

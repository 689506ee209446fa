"""From records to arrays: the training schema, records, encodings and the one feature transform."""

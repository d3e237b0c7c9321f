"""Pure domain layer: agencies, edXML message model, status lifecycle, errors. No I/O."""

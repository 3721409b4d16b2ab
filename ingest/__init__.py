"""Article readers and the NLP pipeline: text to entities to relations."""

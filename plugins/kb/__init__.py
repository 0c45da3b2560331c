"""billing-kb: an Obsidian-compatible link engine for Markdown knowledge bases."""

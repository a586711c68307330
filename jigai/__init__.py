"""技改通 Jigai — the Henan enterprise technical-transformation programme system (豫政办〔2022〕8号)."""

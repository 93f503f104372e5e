"""Vocabulary of the sample web: topics, their words, and the names sites are built from."""

from __future__ import annotations

# topic -> (name parts for brands, keywords for anchors and titles, filler words for text)
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "cooking": (
        ("crumb", "kettle", "saffron", "skillet", "pantry", "basil", "ladle", "sourdough"),
        ("sourdough starter", "cast iron skillet", "weeknight dinners", "bread baking",
         "spice blends", "meal prep", "fermented vegetables", "pasta dough"),
        ("oven", "flour", "simmer", "recipe", "butter", "garlic", "season", "knead", "roast",
         "broth", "crispy", "tender", "batch", "dough", "glaze"),
    ),
    "travel": (
        ("nomad", "compass", "atlas", "harbor", "trail", "voyage", "passport", "summit"),
        ("budget travel", "packing list", "night trains", "hiking routes", "island hopping",
         "travel insurance", "city breaks", "hostel reviews"),
        ("journey", "ticket", "border", "coast", "ferry", "luggage", "itinerary", "valley",
         "station", "sunrise", "market", "village", "road", "route", "guide"),
    ),
    "tech": (
        ("byte", "kernel", "circuit", "pixel", "stack", "vector", "packet", "compile"),
        ("linux laptops", "mechanical keyboards", "home servers", "static site generators",
         "password managers", "open source tools", "rust tutorials", "database tuning"),
        ("server", "query", "memory", "thread", "latency", "cache", "build", "release", "bug",
         "patch", "driver", "terminal", "protocol", "benchmark", "module"),
    ),
    "finance": (
        ("ledger", "penny", "dividend", "vault", "margin", "thrift", "yield", "capital"),
        ("index funds", "emergency fund", "credit scores", "retirement planning",
         "budget spreadsheets", "tax deductions", "savings accounts", "debt payoff"),
        ("income", "interest", "account", "expense", "portfolio", "fee", "rate", "saving",
         "loan", "invest", "balance", "budget", "return", "pension", "cash"),
    ),
    "gardening": (
        ("fern", "trowel", "compost", "seedling", "orchard", "meadow", "bloom", "hedge"),
        ("raised beds", "tomato varieties", "composting basics", "native plants",
         "pruning roses", "seed starting", "container gardens", "organic pest control"),
        ("soil", "seed", "water", "mulch", "root", "leaf", "harvest", "prune", "sprout",
         "season", "shade", "bed", "weed", "frost", "garden"),
    ),
    "sports": (
        ("sprint", "pitch", "racket", "stride", "goal", "paddle", "dribble", "podium"),
        ("marathon training", "running shoes", "tennis drills", "home workouts",
         "cycling gear", "swim technique", "strength training", "recovery routines"),
        ("match", "coach", "training", "pace", "team", "score", "season", "muscle", "drill",
         "race", "league", "sprint", "warmup", "tactic", "stamina"),
    ),
    "music": (
        ("chord", "tempo", "vinyl", "melody", "groove", "octave", "reverb", "cadence"),
        ("guitar lessons", "home recording", "vinyl records", "synthesizer patches",
         "music theory", "drum practice", "live sound", "songwriting tips"),
        ("song", "album", "note", "rhythm", "studio", "track", "band", "mix", "tone", "scale",
         "string", "beat", "chorus", "verse", "amp"),
    ),
    "pets": (
        ("paw", "whisker", "kennel", "biscuit", "feather", "burrow", "collar", "purr"),
        ("puppy training", "cat nutrition", "aquarium care", "dog walking routes",
         "pet insurance", "bird feeders", "rabbit housing", "grooming tools"),
        ("dog", "cat", "vet", "leash", "treat", "walk", "food", "toy", "breed", "litter",
         "fur", "cage", "play", "tank", "care"),
    ),
}

GENERIC_ANCHORS = ("click here", "this post", "read more", "here", "this article", "source",
                   "website", "learn more")

FIRST_NAMES = ("Ada", "Bram", "Chloe", "Dev", "Elif", "Femi", "Greta", "Hugo", "Iris", "Jonas",
               "Kaia", "Luca", "Mira", "Nils", "Oona", "Pavel", "Rosa", "Sami", "Tove", "Umar")

CONNECTIVES = ("and", "with", "for", "after", "before", "because", "while", "so", "but", "then")

SPAM_PHRASES = ("cheap watches", "casino bonus", "payday loans", "replica bags", "diet pills")

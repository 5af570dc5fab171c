"""`pseudogen serve`: the web page and its JSON API.

    serve.py     the command: models opened, workers started, then uvicorn
    app.py       the FastAPI application: the page, /api/translate, /api/models, /api/health
    limits.py    what one request may ask (body size, statements, time), the body-size check
    catalog.py   the served models: names, languages, training figures
    pool.py      the worker processes that translate, off the event loop
    worker.py    one worker: the models opened once, a bounded cache, one job at a time
    static/      the page: index.html, page.js, page.css (nothing fetched from elsewhere)
    examples/    the page's example snippets
"""

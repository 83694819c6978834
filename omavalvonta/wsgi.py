import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omavalvonta.settings")
application = get_wsgi_application()

# What start-up made (modules, settings, URL patterns, apps' registries) lives as
# long as the worker: keep it out of the collector's full passes, which would
# otherwise walk it again and again between requests (a pause in some requests'
# time; `manage.py bench` does the same before it measures).
gc.collect()
gc.freeze()

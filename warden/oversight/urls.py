from django.urls import path

from warden.oversight import views, views_interests, views_search

# Mounted at the site root: the search and the declarations of interest are not only the committee's.
urlpatterns = [
    path("search/", views_search.search_view, name="search"),
    path("search/save/", views_search.save_search_view, name="save_search"),
    path("search/saved/<int:pk>/delete/", views_search.delete_search_view, name="delete_search"),
    path("interests/", views_interests.interests_view, name="interests"),
    path("interests/<int:pk>/end/", views_interests.end_interest_view, name="end_interest"),
]

oversight_patterns = [
    path("", views.index, name="index"),
    path("cases/<int:pk>/", views.case_view, name="case"),
    path("notes/", views.add_note_view, name="add_note"),
    path("decisions/", views.decisions_view, name="decisions"),
    path("indicators/", views.indicators_view, name="indicators"),
    path("indicators/<slug:ident>/", views.indicator_view, name="indicator"),
]

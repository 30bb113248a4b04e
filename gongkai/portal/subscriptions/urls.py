from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="subscriptions_home"),
    path("yanzheng/<str:token>/", views.verify, name="subscriptions_verify"),
    path("denglu/<str:token>/", views.login_link, name="subscriptions_login_link"),
    path("guanli/<str:token>/", views.manage_link, name="subscriptions_manage"),
    path("tuichu/", views.logout, name="subscriptions_logout"),
    path("wode/", views.account, name="subscriptions_account"),
    path("wode/daochu/", views.export, name="subscriptions_export"),
    path("wode/shanchu/", views.delete_account, name="subscriptions_delete"),
    path("huaxiang/", views.profile_edit, name="subscriptions_profile_new"),
    path("huaxiang/<int:pk>/", views.profile_edit, name="subscriptions_profile"),
    path("tianjia/", views.subscription_add, name="subscriptions_add"),
    path("quxiao/<int:pk>/", views.subscription_remove, name="subscriptions_remove"),
    path("tuiding/<str:token>/", views.unsubscribe, name="subscriptions_unsubscribe"),
    path("buxiangguan/<str:token>/", views.not_relevant, name="subscriptions_not_relevant"),
    path("feed/<str:token>.atom", views.SubscriptionFeed(), name="subscriptions_feed"),
    path("huaxiang.atom", views.ProfileFeed(), name="subscriptions_profile_feed"),
]

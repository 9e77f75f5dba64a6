app_name = "education_plans"

urlpatterns = []

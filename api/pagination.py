from rest_framework.pagination import PageNumberPagination


class PageNumbers(PageNumberPagination):
    """DRF's page numbers, except that an empty `?page=` is refused (404) like any invalid page
    instead of quietly meaning page 1, as the schema says a page is a number."""

    def get_page_number(self, request, paginator) -> int | str:
        page = request.query_params.get(self.page_query_param, 1)
        return paginator.num_pages if page in self.last_page_strings else page

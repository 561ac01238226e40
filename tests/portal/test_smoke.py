def test_it_serves_the_home_page(client, places):
    response = client.get("/")
    assert response.status_code == 200
    assert "杨浦区" in response.content.decode()


def test_it_hides_a_household_of_another_neighbourhood(login, yangying, gjxc_household):
    response = login(yangying).get(f"/staff/households/{gjxc_household.pk}/")
    assert response.status_code == 404
